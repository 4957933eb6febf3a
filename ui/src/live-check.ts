// Checking a program while it is typed: the form's own shape checks at once, then the
// daemon's (an `update` dry run) once typing pauses. Only the answer to the latest
// values is shown, so a slow answer about old values never hides a newer one.
import type { ApiError } from "./types";
import { fieldOfSpecPath, type FieldError, type ProgramForm } from "./validate";

/** How long typing must pause before the daemon is asked. */
export const CHECK_DELAY_MS = 300;

/** The form field a daemon error is about: its `field`, else the spec path its message
 * starts with ("invalid program spec: stop_grace: is over an hour — …"). */
export function errorField(error: ApiError): keyof ProgramForm | null {
  const path = error.field ?? error.message.replace(/^invalid program spec: /, "").split(":")[0] ?? "";
  return fieldOfSpecPath(path);
}

/** A daemon error as the form shows it: next to its field, or for the whole form. */
export function placeError(error: ApiError): FieldError | { form: string } {
  const field = errorField(error);
  return field ? { field, message: error.message } : { form: error.message };
}

/** What to show while typing: the shape problems of the fields already touched (an
 * untouched empty field is not yet an error). */
export function touchedErrors(errors: FieldError[], touched: ReadonlySet<string>): FieldError[] {
  return errors.filter((e) => touched.has(e.field));
}

/** A debounced checker: `schedule` asks `check` after `delay` ms of quiet and hands the
 * answer to `show`, unless a newer `schedule` or a `cancel` came meanwhile. */
export function liveCheck<T>(
  check: (value: T) => Promise<ApiError | null>,
  show: (error: ApiError | null, value: T) => void,
  delay = CHECK_DELAY_MS,
): { schedule(value: T): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;
  const cancel = () => {
    clearTimeout(timer);
    latest++;
  };
  return {
    schedule(value: T) {
      cancel();
      const mine = latest;
      timer = setTimeout(() => {
        void check(value).then((error) => {
          if (mine === latest) show(error, value);
        });
      }, delay);
    },
    cancel,
  };
}
