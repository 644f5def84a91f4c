#!/bin/sh
# Test cases for rules/semgrep/hardening.yml.

# ruleid: generic.hardening.selinux-apparmor-disabled
setenforce 0
# ruleid: generic.hardening.selinux-apparmor-disabled
sed -i 's/^SELINUX=enforcing/SELINUX=disabled/' /etc/selinux/config
# ruleid: generic.hardening.selinux-apparmor-disabled
systemctl disable --now apparmor
# ok: generic.hardening.selinux-apparmor-disabled
setenforce 1
# ok: generic.hardening.selinux-apparmor-disabled
getenforce

# ruleid: generic.hardening.firewall-disabled
sudo ufw disable
# ruleid: generic.hardening.firewall-disabled
systemctl stop firewalld
# ruleid: generic.hardening.firewall-disabled
iptables -P INPUT ACCEPT
# ok: generic.hardening.firewall-disabled
ufw allow 443/tcp
# ok: generic.hardening.firewall-disabled
iptables -P INPUT DROP

# ruleid: generic.privilege.sudoers-nopasswd-all
echo "deploy ALL=(ALL) NOPASSWD: ALL" >> /etc/sudoers
# ruleid: generic.privilege.sudoers-nopasswd-all
echo '%wheel ALL=(ALL:ALL) NOPASSWD:ALL' > /etc/sudoers.d/wheel
# ok: generic.privilege.sudoers-nopasswd-all
echo "deploy ALL=(root) NOPASSWD: /usr/bin/systemctl restart app" > /etc/sudoers.d/deploy
# ok: generic.privilege.sudoers-nopasswd-all
echo "deploy ALL=(ALL) ALL" > /etc/sudoers.d/deploy

# ruleid: generic.ssh.sshd-insecure-authentication
sed -i 's/#PermitRootLogin prohibit-password/PermitRootLogin yes/' /etc/ssh/sshd_config
# ruleid: generic.ssh.sshd-insecure-authentication
echo "PermitEmptyPasswords yes" >> /etc/ssh/sshd_config
# ok: generic.ssh.sshd-insecure-authentication
echo "PermitRootLogin no" >> /etc/ssh/sshd_config
# ok: generic.ssh.sshd-insecure-authentication
echo "PubkeyAuthentication yes" >> /etc/ssh/sshd_config

# ruleid: generic.container.privileged
docker run --privileged -d build-agent
# ruleid: generic.container.privileged
docker run -v /var/run/docker.sock:/var/run/docker.sock ci-runner
# ruleid: generic.container.privileged
docker run --pid=host --rm debug-tools
# ok: generic.container.privileged
docker run --cap-add NET_BIND_SERVICE -d web
# ok: generic.container.privileged
docker run --read-only --security-opt no-new-privileges -d web

# ruleid: generic.npm.unsafe-perm
npm install -g --unsafe-perm puppeteer
# ruleid: generic.npm.unsafe-perm
npm config set unsafe-perm true && export npm_config_unsafe_perm=true
# ok: generic.npm.unsafe-perm
npm ci --ignore-scripts
# ok: generic.npm.unsafe-perm
npm install --unsafe-perm=false

# ruleid: generic.permissions.setuid-bit
chmod u+s /usr/local/bin/backup
# ruleid: generic.permissions.setuid-bit
chmod 4755 ./helper
# ok: generic.permissions.setuid-bit
chmod 0755 ./helper
# ok: generic.permissions.setuid-bit
chmod g+s /srv/shared

# The same switches in Compose and Kubernetes manifests:
# ruleid: generic.container.privileged
      privileged: true
# ok: generic.container.privileged
      read_only: true
# ruleid: generic.container.privileged
  hostPID: true
# ok: generic.container.privileged
  hostNetwork: false

# ruleid: generic.web.directory-listing-enabled
echo 'location /files/ { autoindex on; }' > /etc/nginx/conf.d/files.conf
# ruleid: generic.web.directory-listing-enabled
    Options +Indexes +FollowSymLinks
# ok: generic.web.directory-listing-enabled
echo 'location /files/ { autoindex off; }' > /etc/nginx/conf.d/files.conf
# ok: generic.web.directory-listing-enabled
    Options -Indexes +FollowSymLinks

# ruleid: generic.cli.password-in-arguments
sshpass -p "$DEPLOY_PASSWORD" ssh deploy@host 'systemctl restart app'
# ruleid: generic.cli.password-in-arguments
mysqldump -u root -p"$DB_PASS" app > backup.sql
# ok: generic.cli.password-in-arguments
sshpass -e ssh deploy@host uptime
# ok: generic.cli.password-in-arguments
mysql -u root -p app < schema.sql

# ruleid: generic.container.privileged
podman run --rm --privileged quay.io/buildah/stable buildah bud .
# ok: generic.container.privileged
COMPREPLY=( $( compgen -W "-d --detach --privileged -T" -- "$cur" ) )
# ok: generic.hardening.selinux-apparmor-disabled
echo "Run \"setenforce 0\" first if you really want to do this."
