import cron from 'node-cron';
import { z } from 'zod';

/** A cron expression compiled to the sets it allows (minute resolution). */
export interface CronSpec {
  expression: string;
  minutes: number[];
  hours: number[];
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
  /** Classic cron: when both day fields are restricted, either may match. */
  dayMatch: 'and' | 'or';
}

const FIELD_ZH: Record<string, string> = {
  second: '秒', minute: '分钟', hour: '小时', dayOfMonth: '日期', month: '月份', dayOfWeek: '星期', expression: '格式',
};

/** Chinese reasons why `expression` is not usable, empty when it is. */
export function cronProblems(expression: string): string[] {
  const v = cron.validateDetailed(expression);
  if (!v.valid) {
    return v.errors.map((e) =>
      e.field === 'expression'
        ? `cron 表达式应有 5 段（分 时 日 月 周），例如 "0 19 * * 1-5"，这里是 "${expression}"`
        : `cron 表达式的${FIELD_ZH[e.field] ?? e.field}字段 "${e.value ?? ''}" 无效`,
    );
  }
  const f = v.fields!;
  if (f.second.length !== 1 || f.second[0] !== 0) return ['不支持按秒的 cron，请用 5 段格式（分 时 日 月 周）'];
  if ([...f.dayOfMonth, ...f.dayOfWeek].some((x) => typeof x === 'string')) return ['不支持 L、# 等特殊日期写法'];
  return [];
}

export const cronExpression = z.string().superRefine((s, ctx) => {
  for (const message of cronProblems(s)) ctx.addIssue({ code: 'custom', message });
});

export function compileCron(expression: string): CronSpec {
  const f = cron.parse(expression);
  const dom = f.dayOfMonth as number[];
  const dow = new Set((f.dayOfWeek as number[]).map((d) => d % 7));
  return {
    expression,
    minutes: [...f.minute].sort((a, b) => a - b),
    hours: [...f.hour].sort((a, b) => a - b),
    daysOfMonth: new Set(dom),
    months: new Set(f.month),
    daysOfWeek: dow,
    dayMatch: dom.length < 31 && dow.size < 7 ? 'or' : 'and',
  };
}
