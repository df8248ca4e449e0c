import { useState } from "react";
import type { ApiToken } from "../../api/types.ts";

/**
 * The secret of a token just created. It is shown this once: the webserver keeps only its hash, so
 * leaving the page (or pressing Done) loses it for good.
 */
export function NewTokenSecret({
  token,
  secret,
  onDone,
}: {
  token: ApiToken;
  secret: string;
  onDone: () => void;
}) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("yes");
    } catch {
      // Clipboard access can be refused (an insecure origin, a browser setting): select it for a manual copy.
      setCopied("failed");
    }
  };
  return (
    <section className="card token-secret" aria-labelledby="token-secret-title" role="status">
      <h2 id="token-secret-title">Token “{token.name}” created</h2>
      <p>
        Copy it now: this is the only time it is shown. Bosun stores only a hash of it, so a lost token cannot
        be recovered (revoke it and create another).
      </p>
      <div className="secret-row">
        <input
          className="mono secret-value"
          aria-label="New token secret"
          readOnly
          value={secret}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" className="primary" onClick={() => void copy()}>
          {copied === "yes" ? "Copied" : "Copy"}
        </button>
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
      {copied === "failed" && (
        <p className="field-error" role="alert">
          The browser did not allow copying; select the token and copy it by hand.
        </p>
      )}
      <p className="muted small">
        Send it as <code>Authorization: Bearer &lt;token&gt;</code>.
      </p>
    </section>
  );
}
