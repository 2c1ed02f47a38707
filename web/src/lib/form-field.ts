/**
 * What FormField hands its control to bind (`v-bind="field"`): the id its label points at, and
 * `aria-invalid` / `aria-describedby` naming the error under it when there is one. Composite
 * inputs (LimitInput, ExpiryInput) take it as a prop and bind it on their main control.
 */
export interface FieldBinding {
  readonly id: string;
  readonly 'aria-invalid': 'true' | undefined;
  readonly 'aria-describedby': string | undefined;
}
