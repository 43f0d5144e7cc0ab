import { z } from 'zod';
import { Department } from '@passerelle/shared';

/** What one provider group grants: departments, the administrator flag, workspace membership. */
export interface GroupGrant {
  departments: Department[];
  isAdmin: boolean;
}

/** `OIDC_GROUP_MAP` and `SAML_GROUP_MAP`: `{"group": ["sri", "admin"], "other": "studies,member"}`. */
export function parseGroupMap(text: string, context: z.RefinementCtx): Map<string, GroupGrant> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    context.addIssue({ code: 'custom', message: 'must be a JSON object' });
    return z.NEVER;
  }
  const shape = z.record(z.string().min(1), z.union([z.string(), z.array(z.string())]));
  const parsed = shape.safeParse(raw);
  if (!parsed.success) {
    context.addIssue({ code: 'custom', message: 'must map each group to a list of departments, "admin" or "member"' });
    return z.NEVER;
  }
  const map = new Map<string, GroupGrant>();
  for (const [group, value] of Object.entries(parsed.data)) {
    const grant: GroupGrant = { departments: [], isAdmin: false };
    const words = (Array.isArray(value) ? value : value.split(',')).map((word) => word.trim()).filter(Boolean);
    for (const word of words) {
      if (word === 'admin') grant.isAdmin = true;
      else if (word === 'member') continue;
      else {
        const department = Department.safeParse(word);
        if (!department.success) {
          context.addIssue({ code: 'custom', message: `group "${group}": "${word}" is neither a department (${Department.options.join(', ')}), "admin" nor "member"` });
          return z.NEVER;
        }
        grant.departments.push(department.data);
      }
    }
    map.set(group, grant);
  }
  return map;
}
