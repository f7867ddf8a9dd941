/** A rubric line with its `{placeholders}` as wildcards, to find where the interviewer said it. */
export function templatePattern(template: string): RegExp {
  const parts = template.split(/\{\w+\}/).map((p) => p.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&'));
  return new RegExp(`^${parts.join('.+?')}$`, 's');
}
