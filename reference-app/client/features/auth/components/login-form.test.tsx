// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { authStore } from '../../../shared/storage/auth-store.ts';
import { useStubApi } from '../../../test-support/stub-api.ts';
import type { StubApi } from '../../../test-support/stub-api.ts';
import { LoginForm } from './login-form.tsx';

const user = {
  id: 4,
  email: 'owner@business-2.example',
  displayName: 'Owner Two',
  role: 'owner',
  businessId: 2,
  businessName: 'Business 2',
};

let api: StubApi;
useStubApi((started) => {
  api = started;
  api.on('POST', '/api/auth/login', ({ body }) => {
    const { email, password } = body as { email: string; password: string };
    return email === user.email && password === 'perfkit-demo'
      ? { status: 200, body: { user }, headers: { 'set-cookie': 'sid=s3cret; HttpOnly; Path=/' } }
      : { status: 401, body: { error: { code: 'INVALID_CREDENTIALS', message: 'bad credentials' } } };
  });
});
afterEach(() => {
  cleanup();
  localStorage.clear();
});

function renderForm() {
  const onLoggedIn = vi.fn();
  render(
    <QueryClientProvider client={new QueryClient()}>
      <LoginForm onLoggedIn={onLoggedIn} />
    </QueryClientProvider>,
  );
  const fill = (email: string, password: string) => {
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: email } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  };
  return { onLoggedIn, fill };
}

describe('LoginForm', () => {
  it('has labelled fields with the right autocomplete hints', () => {
    renderForm();
    expect(screen.getByLabelText('Email').getAttribute('autocomplete')).toBe('username');
    expect(screen.getByLabelText('Password').getAttribute('type')).toBe('password');
  });

  it('shows a readable error for wrong credentials and remembers nobody', async () => {
    const { onLoggedIn, fill } = renderForm();
    fill(user.email, 'wrong');
    expect((await screen.findByRole('alert')).textContent).toMatch(/do not match/);
    expect(onLoggedIn).not.toHaveBeenCalled();
    expect(authStore.get()).toBeNull();
  });

  it('logs in, remembers who is logged in but never the session secret', async () => {
    const { onLoggedIn, fill } = renderForm();
    fill(`  ${user.email} `, 'perfkit-demo');
    await waitFor(() => expect(onLoggedIn).toHaveBeenCalledWith(user));
    expect(api.requests.at(-1)?.body).toEqual({ email: user.email, password: 'perfkit-demo' });
    expect(authStore.get()?.user).toEqual(user);
    expect(JSON.stringify({ ...localStorage })).not.toContain('s3cret');
    expect(JSON.stringify({ ...localStorage })).not.toContain('perfkit-demo');
  });
});
