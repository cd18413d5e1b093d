import { useEffect, useState } from 'react';
import type { Reauthentication, ReauthenticationAttempt } from '@gatehouse/client';

/*
 * The bridge between the auth client, which needs a password (and perhaps a second factor)
 * when a sensitive action is refused with `reauthentication_required`, and React, which draws
 * the dialog that asks for it. The client calls `askToReauthenticate`; the mounted
 * StepUpPrompt (StepUpPrompt.tsx) shows the request, and the user's answer resolves it. The
 * dialog stays up while the answer is checked, so a wrong one is reported in place rather
 * than by closing and opening it again.
 */

export interface StepUpRequest {
  attempt: ReauthenticationAttempt;
  /** The user answered; the server is checking the password. */
  verifying: boolean;
}

type Listener = (request: StepUpRequest | undefined) => void;

let pending: { request: StepUpRequest; resolve: (answer: Reauthentication | null) => void } | undefined;
let listener: Listener | undefined;

function show(request: StepUpRequest | undefined): void {
  listener?.(request);
}

/** The auth client's `onReauthenticationRequired`. */
export function askToReauthenticate(attempt: ReauthenticationAttempt): Promise<Reauthentication | null> {
  // Nothing on screen can ask (signed out, say): the action fails with its 403.
  if (listener === undefined) return Promise.resolve(null);
  return new Promise((resolve) => {
    pending = { request: { attempt, verifying: false }, resolve };
    show(pending.request);
  });
}

/** The user answered (the password, with a code, or a passkey), or gave up (null). */
export function answerStepUp(answer: Reauthentication | null): void {
  const current = pending;
  if (current === undefined || current.request.verifying) return;
  if (answer === null) {
    pending = undefined;
    show(undefined);
  } else {
    current.request = { ...current.request, verifying: true };
    show(current.request);
  }
  current.resolve(answer);
}

/**
 * The server answered (auth.ts sees POST /reauthenticate go by). Right: the
 * dialog goes. Wrong: the client asks again at once, unless that was the last try.
 */
export function stepUpAnswered(ok: boolean): void {
  const request = pending?.request;
  if (request?.verifying !== true) return;
  if (ok || request.attempt.attempt >= request.attempt.maxAttempts) {
    pending = undefined;
    show(undefined);
  }
}

/** The request to show, for the one component that draws the prompt. */
export function useStepUpRequest(): StepUpRequest | undefined {
  const [request, setRequest] = useState<StepUpRequest | undefined>(pending?.request);
  useEffect(() => {
    listener = setRequest;
    return () => {
      listener = undefined;
      // Unmounted mid-question (the session ended): nobody can answer it any more.
      const current = pending;
      pending = undefined;
      if (current !== undefined && !current.request.verifying) current.resolve(null);
    };
  }, []);
  return request;
}
