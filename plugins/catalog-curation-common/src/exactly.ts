/**
 * `A`, when `A` and `B` are the same type (each assignable to the other), and
 * a compile error naming the odd member otherwise. It ties a union this
 * package lists at run time (a `const` array) to an enum of the backend's
 * OpenAPI spec, so that neither can gain or lose a value alone.
 *
 * @internal
 */
export type Exactly<A extends B, B extends C, C = A> = A;
