import { describe, expect, it } from 'vitest';
import { canonicalHeaderKey, orderedHeaders, type HeadParts } from './go-header.ts';

const base: HeadParts = {
  given: undefined,
  userAgent: 'Grafana k6/2.2.0',
  fallbacks: [],
  cookie: '',
  bodyBytes: null,
  method: 'GET',
};

describe('canonicalHeaderKey (textproto.CanonicalMIMEHeaderKey)', () => {
  it('upper-cases the first letter and each letter after a dash, lower-cases the rest', () => {
    expect(canonicalHeaderKey('content-type')).toBe('Content-Type');
    expect(canonicalHeaderKey('x-mixed-CASE')).toBe('X-Mixed-Case');
    expect(canonicalHeaderKey('X_UNDER_score')).toBe('X_under_score');
    expect(canonicalHeaderKey('www-AUTHENTICATE')).toBe('Www-Authenticate');
    expect(canonicalHeaderKey('x-1a')).toBe('X-1a');
  });
  it('leaves a name with a byte outside HTTP tokens as given', () => {
    expect(canonicalHeaderKey('bad name')).toBe('bad name');
    expect(canonicalHeaderKey('x-é')).toBe('x-é');
  });
});

describe('orderedHeaders (Request.Write order)', () => {
  it('GET: only the User-Agent, no Content-Length, no Accept-Encoding', () => {
    expect(orderedHeaders(base)).toEqual([['User-Agent', 'Grafana k6/2.2.0']]);
  });
  it('User-Agent, Content-Length, then the rest sorted by canonical name; the last of two spellings wins', () => {
    const h = orderedHeaders({
      ...base,
      method: 'POST',
      bodyBytes: 5,
      given: { 'x-lower': 'a', 'content-type': 'text/plain', 'X-LOWER': ' b ', 'content-length': '99' },
    });
    expect(h).toEqual([
      ['User-Agent', 'Grafana k6/2.2.0'],
      ['Content-Length', '5'],
      ['Content-Type', 'text/plain'],
      ['X-Lower', 'b'],
    ]);
  });
  it('a User-Agent in the params replaces the default; an empty default sends none', () => {
    expect(orderedHeaders({ ...base, given: { 'user-agent': 'mine/1' } })).toEqual([['User-Agent', 'mine/1']]);
    expect(orderedHeaders({ ...base, userAgent: '' })).toEqual([]);
  });
  it('Content-Length 0 for an empty request of any method but GET and HEAD', () => {
    expect(orderedHeaders({ ...base, method: 'DELETE', userAgent: '' })).toEqual([['Content-Length', '0']]);
    expect(orderedHeaders({ ...base, method: 'POST', bodyBytes: 0, userAgent: '' })).toEqual([['Content-Length', '0']]);
    expect(orderedHeaders({ ...base, method: 'HEAD', userAgent: '' })).toEqual([]);
  });
  it('a Host header goes first; fallbacks only when not given; cookies after a given Cookie', () => {
    const h = orderedHeaders({
      ...base,
      given: { host: 'example.test', cookie: 'a=1', 'content-type': 'application/json' },
      fallbacks: [
        ['Content-Type', 'application/x-www-form-urlencoded'],
        ['Authorization', 'Basic dTpw'],
      ],
      cookie: 'jar=2',
    });
    expect(h).toEqual([
      ['Host', 'example.test'],
      ['User-Agent', 'Grafana k6/2.2.0'],
      ['Authorization', 'Basic dTpw'],
      ['Content-Type', 'application/json'],
      ['Cookie', 'a=1; jar=2'],
    ]);
  });
  it('without headers of the script: the same as with an empty set given (the default User-Agent trimmed, Content-Length)', () => {
    for (const userAgent of ['Grafana k6/2.2.0', ' padded\t', ''])
      for (const [method, bodyBytes] of [
        ['GET', null],
        ['POST', null],
        ['PUT', 7],
        ['HEAD', null],
      ] as const) {
        const parts = { ...base, userAgent, method, bodyBytes };
        // An empty fallback value given forces the general path; it is dropped again below.
        const general = orderedHeaders({ ...parts, fallbacks: [['X-Probe', '']] }).filter(([k]) => k !== 'X-Probe');
        expect(orderedHeaders(parts)).toEqual(general);
        expect(orderedHeaders({ ...parts, given: {} })).toEqual(general);
      }
    expect(orderedHeaders({ ...base, userAgent: ' padded\t' })).toEqual([['User-Agent', 'padded']]);
  });
  it('drops Transfer-Encoding and Trailer given in the params, as Go does', () => {
    expect(orderedHeaders({ ...base, userAgent: '', given: { 'transfer-encoding': 'chunked', trailer: 'x' } })).toEqual(
      [],
    );
  });
});
