#!/bin/sh
# ruleid: generic.ssh.host-key-checking-disabled
ssh -o StrictHostKeyChecking=no deploy@"$HOST" ./release.sh
# ruleid: generic.ssh.host-key-checking-disabled
scp -o 'UserKnownHostsFile=/dev/null' build.tgz "$HOST":/srv
# ruleid: generic.ssh.host-key-checking-disabled
export GIT_SSH_COMMAND="ssh -o stricthostkeychecking off"
# ok: generic.ssh.host-key-checking-disabled
ssh -o StrictHostKeyChecking=yes deploy@"$HOST" ./release.sh
# ok: generic.ssh.host-key-checking-disabled
ssh -o StrictHostKeyChecking=accept-new deploy@"$HOST" true
# ok: generic.ssh.host-key-checking-disabled
  # StrictHostKeyChecking=no is what the old script used
