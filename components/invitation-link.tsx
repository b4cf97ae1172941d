/**
 * The invitation link, shown once to the inviter when no mail went out (no RESEND_API_KEY, or
 * Resend failed), to pass on by hand (docs/people.md). Never stored: only its hash is.
 */
export function InvitationLink({ link }: { link: string | undefined | null }) {
  if (!link) return null;
  return (
    <div className="alert" role="note" aria-label="Invitationslink">
      <p>Invitationslinket (vises kun nu):</p>
      <p>
        <code className="wrap">{link}</code>
      </p>
    </div>
  );
}
