import { reactive, watch } from 'vue';
import { ApiError, messageOf } from '../api/client';

/**
 * Errors of one form: by field (the form's own checks, or a failure whose `subject` is a field
 * the form knows) or general (`_form`). `fields` maps the names the API uses to the form's own.
 */
export function useFormErrors(fields: Record<string, string> = {}) {
  const errors = reactive<Record<string, string>>({});
  const clear = () => {
    for (const k of Object.keys(errors)) delete errors[k];
  };
  return {
    errors,
    clear,
    /** Shows the form's own check results, all at once; true when there is none. */
    check(found: Record<string, string>): boolean {
      clear();
      Object.assign(errors, found);
      return Object.keys(found).length === 0;
    },
    /** Puts the error next to its field, or under `_form`. */
    show(e: unknown) {
      // `peers[1].configuration` → `peers[1]`, else `peers`: a form field for a whole list.
      const head = e instanceof ApiError && e.field ? (e.field.split('.')[0] ?? '') : '';
      const field = head ? (fields[head] ?? fields[head.replace(/\[\d+\]$/, '')]) : null;
      errors[field ?? '_form'] = messageOf(e);
    },
    /** An error goes away as soon as its field changes (`watched`: the form's field → error name). */
    clearOnChange(form: Record<string, unknown>, watched: Record<string, string>) {
      for (const [key, error] of Object.entries(watched))
        watch(
          () => form[key],
          () => {
            delete errors[error];
            delete errors._form;
          },
        );
    },
  };
}
