// REDIS_URL forms: one Redis, a Cluster, Sentinels; a bad one is refused at start-up.
import { describe, expect, it } from 'vitest';
import { ConfigError, configFromEnv } from '../config.js';
import { parseRedisUrl, redactRedisUrl, RedisUrlError } from './redis-url.js';

describe('REDIS_URL', () => {
  it('when it is a plain redis:// or rediss:// URL, then ioredis gets it as it is', () => {
    expect(parseRedisUrl('redis://:pw@10.0.0.1:6380/2')).toEqual({
      kind: 'standalone',
      url: 'redis://:pw@10.0.0.1:6380/2',
    });
    expect(parseRedisUrl('rediss://r.example.cn').kind).toBe('standalone');
  });

  it('when it names cluster seeds, then every host is a seed, with credentials and TLS', () => {
    expect(parseRedisUrl('redis+cluster://10.0.0.1:7000,10.0.0.2:7001,[::1]:7002')).toEqual({
      kind: 'cluster',
      tls: false,
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: '::1', port: 7002 },
      ],
    });
    expect(parseRedisUrl('rediss+cluster://app:p%40ss@r1,r2:7000/')).toEqual({
      kind: 'cluster',
      tls: true,
      username: 'app',
      password: 'p@ss',
      nodes: [
        { host: 'r1', port: 6379 },
        { host: 'r2', port: 7000 },
      ],
    });
  });

  it('when it names sentinels, then the path is the master name and the query its options', () => {
    expect(
      parseRedisUrl('redis+sentinel://:secret@s1:26379,s2,s3:26380/shortline?db=3&sentinelPassword=x&ackReplicas=2'),
    ).toEqual({
      kind: 'sentinel',
      tls: false,
      masterName: 'shortline',
      password: 'secret',
      sentinelPassword: 'x',
      db: 3,
      ackReplicas: 2,
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
        { host: 's3', port: 26380 },
      ],
    });
    expect(parseRedisUrl('redis+sentinel://s1/m')).toMatchObject({ db: 0, ackReplicas: 1 });
  });

  it.each([
    ['redis+sentinel://s1:26379', /master name/],
    ['redis+sentinel://s1/m?db=99', /db must be/],
    ['redis+sentinel://s1/m?dbx=1', /unknown parameter "dbx"/],
    ['redis+cluster://h1:7000/3', /no path/],
    ['redis+cluster://h1:99999', /bad host:port/],
    ['redis+cluster://h1:7000,', /bad host:port/],
    ['http://h1', /expected redis:\/\//],
  ])('when it is %s, then it is refused with a reason', (url, reason) => {
    expect(() => parseRedisUrl(url)).toThrow(RedisUrlError);
    expect(() => parseRedisUrl(url)).toThrow(reason);
  });

  it('when it is bad, then the start stops with one line naming REDIS_URL and not echoing it', () => {
    expect(() => configFromEnv({ REDIS_URL: 'redis+sentinel://:hunter2@s1/m?db=x' })).toThrow(ConfigError);
    expect(() => configFromEnv({ REDIS_URL: 'redis+sentinel://:hunter2@s1/m?db=x' })).toThrow(
      /^REDIS_URL: db must be[^\n]*$/,
    );
    expect(() => configFromEnv({ REDIS_URL: 'redis+sentinel://:hunter2@s1/m?db=x' })).not.toThrow(/hunter2/);
    expect(configFromEnv({ REDIS_URL: 'redis+cluster://h1:7000,h2:7000' }).redisUrl).toBe(
      'redis+cluster://h1:7000,h2:7000',
    );
  });

  it('when shown in a message, then passwords are masked', () => {
    expect(redactRedisUrl('redis+sentinel://u:pw@s1,s2/m?sentinelPassword=sp&db=1')).toBe(
      'redis+sentinel://u:***@s1,s2/m?sentinelPassword=***&db=1',
    );
    expect(redactRedisUrl('redis://:pw@h:6379')).toBe('redis://:***@h:6379');
  });
});
