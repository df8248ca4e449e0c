import { useDocumentTitle } from "../components/page-header.tsx";

/** Shown instead of the app when auth is on and this browser has no session. */
export function SignInPage() {
  useDocumentTitle("Sign in");
  return (
    <main id="main" className="sign-in-page">
      <h1>Sign in to Bosun</h1>
      <p>This Bosun asks who you are before showing anything.</p>
      <p>
        <a className="sign-in-link" href="/auth/login">
          Sign in with your identity provider
        </a>
      </p>
      <p className="muted small">
        Scripts and CI use an API token instead (<code>Authorization: Bearer …</code>, see docs/auth.md).
      </p>
    </main>
  );
}
