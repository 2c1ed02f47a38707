import { reactive } from 'vue';
import { ApiError, messageOf } from '../api/client';

/**
 * Errors of one form: by field (when the failure's `subject` is a field the form knows) or general.
 * `fields` maps the names the API uses to the form's own names.
 */
export function useFormErrors(fields: Record<string, string> = {}) {
  const errors = reactive<Record<string, string>>({});
  return {
    errors,
    clear() {
      for (const k of Object.keys(errors)) delete errors[k];
    },
    /** Puts the error next to its field, or under `_form`. */
    show(e: unknown) {
      const field = e instanceof ApiError && e.field ? fields[e.field.split('.')[0] ?? ''] : null;
      errors[field ?? '_form'] = messageOf(e);
    },
  };
}
