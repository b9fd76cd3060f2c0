import type { Feature } from '../../engine/feature.js';
import { forgetCheckinCaches } from './cache.js';
import { handleCheckin } from './checkin.js';
import { checkinCommands } from './commands.js';
import { checkinJobs } from './jobs.js';

/** Check-in games (打卡闯关): daily check-ins, streaks, badges, levels, make-ups and leaderboards. */
export const checkinFeature: Feature = {
  name: 'checkin',
  commands: checkinCommands,
  onMessage: handleCheckin,
  jobs: checkinJobs,
  forgetCaches: forgetCheckinCaches,
};
