import { z } from 'zod';

/** `POST issue`'s answer: the new issue's id and key. */
export const wireCreatedIssue = z.object({ id: z.string().min(1), key: z.string().min(1) });

/** `issue/createmeta/{project}/issuetypes`: Cloud pages the types as `issueTypes`, Data Center as `values`. */
export const wireCreateIssueTypes = z
  .object({
    issueTypes: z.array(z.object({ id: z.string().min(1), name: z.string().min(1) })).optional(),
    values: z.array(z.object({ id: z.string().min(1), name: z.string().min(1) })).optional(),
  })
  .transform((page) => page.issueTypes ?? page.values ?? []);

/** `issue/createmeta/{project}/issuetypes/{id}`: the create screen's field ids (Cloud `fields`, Data Center `values`). */
export const wireCreateScreenFields = z
  .object({
    fields: z.array(z.object({ fieldId: z.string().min(1) })).optional(),
    values: z.array(z.object({ fieldId: z.string().min(1) })).optional(),
  })
  .transform((page) => (page.fields ?? page.values ?? []).map((field) => field.fieldId));

/** A remote link (`POST issue/{key}/remotelink`) answers its id. */
export const wireRemoteLinkId = z.object({ id: z.number().int() });
