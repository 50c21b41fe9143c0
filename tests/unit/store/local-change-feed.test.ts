import { describe, expect, it } from 'vitest';
import { createLocalChangeFeed } from '../../../src/store/local-change-feed';
import { captureLogger } from '../../helpers/capture-logger';

describe('the in-process change feed', () => {
  it('runs the subscribers of the topic before publish resolves, and not those of other topics', async () => {
    const feed = createLocalChangeFeed();
    const settings: string[] = [];
    const categories: string[] = [];
    feed.subscribe('settings', (k) => settings.push(k));
    feed.subscribe('categories', (k) => categories.push(k));
    await feed.publish('settings', 'g1');
    expect(settings).toEqual(['g1']);
    expect(categories).toEqual([]);
  });

  it('keeps calling the other subscribers when one throws, and logs it', async () => {
    const log = captureLogger();
    const feed = createLocalChangeFeed({ logger: log.logger });
    const seen: string[] = [];
    feed.subscribe('settings', () => {
      throw new Error('boom');
    });
    feed.subscribe('settings', (k) => seen.push(k));
    await feed.publish('settings', 'g1');
    expect(seen).toEqual(['g1']);
    expect(log.lines.some((l) => l.msg === 'change listener failed')).toBe(true);
  });

  it('stops calling a subscriber once it unsubscribed, leaving a second subscription of the same function', async () => {
    const feed = createLocalChangeFeed();
    const seen: string[] = [];
    const listener = (k: string): void => {
      seen.push(k);
    };
    const stop = feed.subscribe('settings', listener);
    feed.subscribe('settings', listener);
    stop();
    await feed.publish('settings', 'g1');
    expect(seen).toEqual(['g1']);
  });
});
