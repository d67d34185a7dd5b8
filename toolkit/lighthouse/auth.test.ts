import { describe, expect, it } from 'vitest';
import { assertAuditedPage } from './auth.ts';

describe('assertAuditedPage', () => {
  it('accepts the page asked for and refuses a redirect to the login page', () => {
    expect(() =>
      assertAuditedPage('http://127.0.0.1:1/dashboard', 'http://127.0.0.1:1/dashboard', 'dashboard'),
    ).not.toThrow();
    expect(() => assertAuditedPage('http://127.0.0.1:1/dashboard', 'http://127.0.0.1:1/login', 'dashboard')).toThrow(
      expect.objectContaining({ code: 'LOGIN_FAILED', message: expect.stringContaining('audited /login') }),
    );
  });
});
