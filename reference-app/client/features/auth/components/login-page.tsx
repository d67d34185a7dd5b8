import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useAuth } from '../../../shared/storage/auth-store.ts';
import { LoginForm } from './login-form.tsx';

/** Only same-app paths are accepted as a return target, never another origin. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/dashboard';
}

export default function LoginPage() {
  const auth = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  if (auth) return <Navigate to={next} replace />;
  return (
    <main className="login" id="main">
      <section className="login-card" aria-labelledby="login-title">
        <div className="brand brand--large" aria-hidden="true">
          <span className="brand-mark" />
          Pulse
        </div>
        <h1 id="login-title">Sign in to your dashboard</h1>
        <p className="muted">Business metrics, updated every few minutes.</p>
        <LoginForm onLoggedIn={() => navigate(next, { replace: true })} />
      </section>
    </main>
  );
}
