import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { Dialog } from './Dialog';
import { describeError } from './errors';
import { Field } from './Field';
import { answerStepUp, useStepUpRequest, type StepUpRequest } from './stepUpBridge';

/**
 * "Confirm it's you": asked by the auth client when a sensitive action (API keys, email,
 * deleting the account, signing out everywhere) needs a recent password. Mounted once
 * while someone is signed in.
 */
export function StepUpPrompt({ email }: { email: string }) {
  const request = useStepUpRequest();
  if (request === undefined) return null;
  return <StepUpDialog request={request} email={email} />;
}

function StepUpDialog({ request, email }: { request: StepUpRequest; email: string }) {
  const [password, setPassword] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  const { attempt, error } = request.attempt;

  // Each new try starts empty, with the cursor in the field.
  useEffect(() => {
    if (attempt === 1) return;
    setPassword('');
    inputRef.current?.focus();
  }, [attempt]);

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!request.verifying && password !== '') answerStepUp(password);
  }

  const message =
    error === undefined
      ? undefined
      : error.code === 'invalid_credentials'
        ? attempt === request.attempt.maxAttempts
          ? 'That password is incorrect. This is your last try.'
          : 'That password is incorrect.'
        : describeError(error).message;

  return (
    <Dialog
      title="Confirm it’s you"
      onClose={() => {
        answerStepUp(null);
      }}
    >
      <form className="form" onSubmit={onSubmit} aria-label="Confirm it’s you">
        <p>For your security, enter your password to continue. You won’t be asked again for 10 minutes.</p>
        {/* Lets password managers offer this account's password. */}
        <input type="text" name="username" autoComplete="username" hidden readOnly value={email} />
        <Field
          ref={inputRef}
          id="step-up-password"
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          data-autofocus
          value={password}
          onChange={(event) => {
            setPassword(event.target.value);
          }}
          error={message}
        />
        <div className="dialog-actions account-dialog-actions">
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              answerStepUp(null);
            }}
          >
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary button-inline"
            disabled={request.verifying}
            aria-busy={request.verifying}
          >
            Confirm
          </button>
        </div>
      </form>
    </Dialog>
  );
}
