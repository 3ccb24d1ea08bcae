import { InputError } from '@backstage/errors';
import type { ErrorRequestHandler } from 'express';

/** One finding of express-openapi-validator (its BadRequest's `errors`). */
type ValidatorFinding = { path: string; message: string; errorCode?: string };

/** The findings whose path ends with the refused property's name. */
const namedKeywords = [
  'additionalProperties.openapi.validation',
  'unevaluatedProperties.openapi.validation',
];

/**
 * Names the refused property in a 400: "request/body must NOT have
 * additional properties: 'gpuz'". The validator's message says where, not
 * which; backend-openapi-utils turns only that message into the InputError
 * (no option changes it), so this runs just before its transformer, while the
 * validator's findings are still attached to the error. Any other error
 * passes on untouched.
 *
 * @public
 */
export const nameRefusedFields: ErrorRequestHandler = (
  error,
  _req,
  _res,
  next,
) => {
  const findings: ValidatorFinding[] | undefined = error?.errors;
  if (
    error?.status !== 400 ||
    !Array.isArray(findings) ||
    !findings.some(f => namedKeywords.includes(f.errorCode ?? ''))
  ) {
    next(error);
    return;
  }
  // Worded as ajv words each finding (ajv.errorsText), whose path is the
  // object's; the validator appends the property to the path of these
  // keywords, and of `required`, whose message already names it.
  const parts = findings.map(f => {
    const cut = f.path.lastIndexOf('/');
    const [object, property] = [f.path.slice(0, cut), f.path.slice(cut + 1)];
    if (namedKeywords.includes(f.errorCode ?? '')) {
      return `request${object} ${f.message}: '${property}'`;
    }
    if (f.errorCode === 'required.openapi.validation') {
      return `request${object} ${f.message}`;
    }
    return `request${f.path} ${f.message}`;
  });
  next(new InputError(parts.join(', ')));
};
