import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { AuthUser } from '../../../shared/storage/auth-store.ts';
import { ApiError } from '../../../shared/api/http.ts';
import { useLogin } from '../api/login.ts';

function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  switch (error.code) {
    case 'INVALID_CREDENTIALS':
      return 'That email and password do not match an account.';
    case 'RATE_LIMITED':
      return 'Too many attempts. Wait a minute, then try again.';
    case 'NETWORK_ERROR':
      return 'You appear to be offline. Connect and try again.';
    default:
      return error.message || 'Sign-in is unavailable right now. Please try again shortly.';
  }
}

export function LoginForm({ onLoggedIn }: { onLoggedIn: (user: AuthUser) => void }) {
  const id = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const login = useLogin();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    login.mutate({ email: email.trim(), password }, { onSuccess: ({ user }) => onLoggedIn(user) });
  };

  return (
    <form className="form" onSubmit={onSubmit} aria-describedby={login.isError ? `${id}-error` : undefined}>
      <div className="field">
        <label htmlFor={`${id}-email`}>Email</label>
        <input
          id={`${id}-email`}
          name="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      {login.isError ? (
        <p id={`${id}-error`} className="form-error" role="alert">
          {describeError(login.error)}
        </p>
      ) : null}
      <button className="button button--primary" type="submit" disabled={login.isPending}>
        {login.isPending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
