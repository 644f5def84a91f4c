import { describe, expect, it } from 'vitest';
import { collectAllowances, mayAllow, mayRescan, parseCommands, safeLogin, type CommentInfo } from '../../src/github/commands.js';

const permissions: Record<string, string> = { mo: 'maintain', ada: 'admin', wes: 'write', rita: 'read' };
const permissionOf = async (login: string) => permissions[login] ?? 'none';

describe('/airlock commands', () => {
  it('parses commands on their own lines, outside code blocks and quotes', () => {
    expect(parseCommands('/airlock allow js.injection.child-process-exec input is an enum\n/airlock rescan')).toEqual([
      { kind: 'allow', target: 'js.injection.child-process-exec', reason: 'input is an enum', all: false },
      { kind: 'rescan' },
    ]);
    expect(parseCommands('```\n/airlock allow x.y reason\n```\n> /airlock rescan\nplease /airlock rescan')).toEqual([]);
    expect(parseCommands('/airlockrescan\n/airlock-allow x')).toEqual([]);
    expect(parseCommands('  /airlock   allow   0123456789abcdef0123   tested by hand  \r')).toEqual([
      { kind: 'allow', target: '0123456789abcdef0123', reason: 'tested by hand', all: false },
    ]);
    expect(parseCommands('/airlock allow js.x --all every call is checked')).toEqual([{ kind: 'allow', target: 'js.x', reason: 'every call is checked', all: true }]);
    expect(parseCommands('/airlock allow js.x --all')[0]?.kind).toBe('invalid');
    expect(parseCommands('/airlock allow js.x')[0]?.kind).toBe('invalid');
    expect(parseCommands('/airlock allow <script> because')[0]?.kind).toBe('invalid');
    expect(parseCommands('/airlock approve everything')[0]?.kind).toBe('invalid');
    expect(parseCommands(`${'/airlock rescan\n'.repeat(100)}`)).toHaveLength(20);
    expect(parseCommands(`/airlock allow x ${'r'.repeat(1000)}`)[0]).toMatchObject({ reason: 'r'.repeat(300) });
  });

  it('reads a kind of dismissal at the start of the reason, help, and allowances in a finding’s thread', () => {
    expect(parseCommands('/airlock allow js.x false-positive the value is a constant')).toEqual([
      { kind: 'allow', target: 'js.x', reason: 'the value is a constant', all: false, category: 'false-positive' },
    ]);
    expect(parseCommands('/airlock allow js.x --all Accepted-Risk')).toEqual([{ kind: 'allow', target: 'js.x', reason: 'accepted-risk', all: true, category: 'accepted-risk' }]);
    expect(parseCommands('/airlock allow js.x used-in-testsuite')).toEqual([{ kind: 'allow', target: 'js.x', reason: 'used-in-testsuite', all: false }]);
    expect(parseCommands('/airlock help')).toEqual([{ kind: 'help' }]);
    const fp = '0123456789abcdef0123';
    expect(parseCommands('/airlock allow used-in-tests only CI runs it', fp)).toEqual([
      { kind: 'allow', target: fp, reason: 'only CI runs it', all: false, category: 'used-in-tests' },
    ]);
    expect(parseCommands(`/airlock allow ${fp} checked by hand`, fp)).toEqual([{ kind: 'allow', target: fp, reason: 'checked by hand', all: false }]);
    // Another word first is part of the reason: the thread decides which finding.
    expect(parseCommands('/airlock allow js.other because', fp)).toEqual([{ kind: 'allow', target: fp, reason: 'js.other because', all: false }]);
    expect(parseCommands('/airlock allow', fp)[0]?.kind).toBe('invalid');
    expect(parseCommands(`/airlock allow ${fp}`, fp)[0]?.kind).toBe('invalid');
  });

  it('collects a thread reply as an allowance of the thread’s finding, with its kind', async () => {
    const fp = '0123456789abcdef0123';
    const replies: CommentInfo[] = [{ id: 9, body: '/airlock allow accepted-risk internal only', user: { login: 'mo' }, threadFingerprint: fp }];
    expect((await collectAllowances(replies, 'dana', permissionOf)).allowances).toEqual([
      { target: fp, reason: 'internal only', by: 'mo', commentId: 9, all: false, givenAt: null, category: 'accepted-risk' },
    ]);
  });

  it('lets maintainers allow, never the author or a bot; lets the author rescan', async () => {
    expect(await mayAllow(permissionOf, { login: 'mo' }, 'dana')).toEqual({ ok: true });
    expect(await mayAllow(permissionOf, { login: 'ada' }, 'dana')).toEqual({ ok: true });
    expect(await mayAllow(permissionOf, { login: 'wes' }, 'dana')).toEqual({ ok: true });
    expect((await mayAllow(permissionOf, { login: 'rita' }, 'dana')).ok).toBe(false);
    expect((await mayAllow(permissionOf, { login: 'Mo' }, 'mo')).ok).toBe(false);
    expect((await mayAllow(permissionOf, { login: 'ada', type: 'Bot' }, 'dana')).ok).toBe(false);
    expect((await mayAllow(permissionOf, { login: 'deploy[bot]' }, 'dana')).ok).toBe(false);
    expect(await mayRescan(permissionOf, { login: 'dana' }, 'dana')).toEqual({ ok: true });
    expect((await mayRescan(permissionOf, { login: 'rita' }, 'dana')).ok).toBe(false);
  });

  it('collects allowances only from people who may give them', async () => {
    const comments = [
      { id: 1, body: '/airlock allow js.a reason one', user: { login: 'dana' } },
      { id: 2, body: '/airlock allow js.b reason two', user: { login: 'mo' } },
      { id: 3, body: '/airlock allow js.c reason three', user: { login: 'ci[bot]', type: 'Bot' } },
      { id: 4, body: 'looks good', user: { login: 'ada' } },
      { id: 5, body: '/airlock allow js.d', user: { login: 'ada' } },
    ];
    expect(await collectAllowances(comments, 'dana', permissionOf)).toEqual({
      allowances: [{ target: 'js.b', reason: 'reason two', by: 'mo', commentId: 2, all: false, givenAt: null }],
      ignored: [{ target: 'js.a', by: 'dana', commentId: 1, reason: 'the author of a pull request cannot accept findings in it' }],
    });
  });

  it('counts an edited allowance only when everyone who wrote its text may give it', async () => {
    const allowance = { body: '/airlock allow js.b reason', user: { login: 'mo' } };
    const collect = async (edit: Partial<CommentInfo>) => collectAllowances([{ id: 9, ...allowance, ...edit }], 'dana', permissionOf);
    expect((await collect({ lastEditor: { login: 'mo' }, editors: [{ login: 'mo' }, { login: 'mo' }] })).allowances).toHaveLength(1);
    expect((await collect({ lastEditor: { login: 'dana' }, editors: [{ login: 'mo' }, { login: 'dana' }] })).ignored[0]?.reason).toBe(
      'edited by @dana: the author of a pull request cannot accept findings in it',
    );
    // An earlier edit by someone else taints the text even if a maintainer edited last.
    expect((await collect({ lastEditor: { login: 'mo' }, editors: [{ login: 'mo' }, { login: 'dana' }, { login: 'mo' }] })).allowances).toEqual([]);
    expect((await collect({ lastEditor: null, editors: [] })).ignored[0]?.reason).toContain('edited by a deleted account');
    expect((await collect({ lastEditor: { login: 'mo' }, editors: [], editHistoryComplete: false })).allowances).toEqual([]);
  });

  it('mentions only logins GitHub could have issued', () => {
    expect(safeLogin('octo-cat')).toBe('octo-cat');
    expect(safeLogin('a.b')).toBeNull();
    expect(safeLogin('x'.repeat(40))).toBeNull();
    expect(safeLogin('')).toBeNull();
  });

  it('attaches the pins the app wrote to the allowances they belong to, and only the app’s', async () => {
    const pin = '<!-- airlock:pin=2:js.b:0123456789abcdef0123 -->';
    const comments = [
      { id: 2, body: '/airlock allow js.b reason two', user: { login: 'mo' }, createdAt: '2026-01-01T00:00:00Z' },
      { id: 3, body: `Accepted.\n\n${pin}`, user: { login: 'airlock', type: 'Bot' }, own: true },
      { id: 4, body: '<!-- airlock:pin=2:js.b:ffffffffffffffffffff -->', user: { login: 'mallory' } },
    ];
    const [allowance] = (await collectAllowances(comments, 'dana', permissionOf)).allowances;
    expect(allowance).toMatchObject({ target: 'js.b', givenAt: '2026-01-01T00:00:00Z', pinned: new Set(['0123456789abcdef0123']) });
    // A pin someone edited (to widen it, say) is no pin at all.
    const edited = [comments[0]!, { ...comments[1]!, lastEditor: { login: 'dana' }, editors: [{ login: 'dana' }] }];
    expect((await collectAllowances(edited, 'dana', permissionOf)).allowances[0]).not.toHaveProperty('pinned');
  });
});
