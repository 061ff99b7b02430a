import { describe, expect, it } from 'vitest';
import webpush from 'web-push';
import { ConfigError, configFromEnv, defaultConfig } from './config.js';

describe('configuration from the environment', () => {
  it('when nothing is set, then the contract defaults apply', () => {
    const c = configFromEnv({});
    expect(c).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      redisUrl: null,
      frameMs: 1000,
      staffStaleMin: 15,
      carrierStaleMin: 5,
      levelMinutes: [15, 30],
      serviceRate: 2,
      adminToken: null,
      historyDays: 35,
    });
    expect(c.carrierKeys.size).toBe(0);
  });
  it('when HISTORY_DAYS is set, then whole days from 8 (a week back needs a day more) to 400 are taken', () => {
    expect(configFromEnv({ HISTORY_DAYS: '8' }).historyDays).toBe(8);
    expect(configFromEnv({ HISTORY_DAYS: '90' }).historyDays).toBe(90);
    for (const bad of ['7', '401', '35.5', 'month'])
      expect(() => configFromEnv({ HISTORY_DAYS: bad })).toThrow(/^HISTORY_DAYS: /);
  });
  it('when values are set, then they are parsed', () => {
    const c = configFromEnv({
      PORT: '8080',
      REDIS_URL: 'redis://127.0.0.1:6379/2',
      LEVEL_MINUTES: '25,50',
      FRAME_MS: '250',
      CARRIER_KEYS: 'cmcc:0123456789abcdef0123,cmcc:fedcba9876543210fedc,cu:abcdefabcdefabcdefab',
      SERVICE_RATE: '1.5',
    });
    expect(c.port).toBe(8080);
    expect(c.levelMinutes).toEqual([25, 50]);
    expect(c.carrierKeys.get('cmcc')).toHaveLength(2);
    expect(c.carrierKeys.get('cu')).toEqual(['abcdefabcdefabcdefab']);
    expect(c.serviceRate).toBe(1.5);
    expect(defaultConfig.levelMinutes).toEqual([15, 30]);
  });
  it('when several values are bad, then one line per variable names each, and secrets are not echoed', () => {
    let err: unknown;
    try {
      configFromEnv({
        PORT: 'eighty',
        LEVEL_MINUTES: '30,15',
        ADMIN_TOKEN: 'short',
        TIMEZONE: 'Mars/Base',
        CARRIER_KEYS: 'nocolon',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const lines = (err as Error).message.split('\n');
    expect(lines.map((l) => l.split(':')[0]).sort()).toEqual([
      'ADMIN_TOKEN',
      'CARRIER_KEYS',
      'LEVEL_MINUTES',
      'PORT',
      'TIMEZONE',
    ]);
    expect((err as Error).message).not.toContain('short');
    expect((err as Error).message).not.toContain('nocolon');
  });
  it('when ENROL_SECRET is set, then it is read; a short one stops the start without being echoed', () => {
    expect(configFromEnv({}).enrolSecret).toBeNull();
    expect(configFromEnv({ ENROL_SECRET: 's'.repeat(32) }).enrolSecret).toBe('s'.repeat(32));
    expect(() => configFromEnv({ ENROL_SECRET: 'too-short-secret' })).toThrow(/^ENROL_SECRET: at least 32 characters$/);
  });
  it('when TRUST_PROXY is set, then it is read as Express documents trust proxy: hop counts, booleans, names, addresses and CIDRs', () => {
    const trust = (v: string) => configFromEnv({ TRUST_PROXY: v }).trustProxy;
    // "1" is one hop (Express itself would read the string as the address 0.0.0.1).
    expect(trust('1')).toBe(1);
    expect(trust('2')).toBe(2);
    expect(trust('true')).toBe(true);
    expect(trust('false')).toBe(false);
    expect(trust('loopback')).toEqual(['loopback']);
    expect(trust('loopback, 10.0.0.0/8,fd00::/8, 192.168.1.7')).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
      '192.168.1.7',
    ]);
    expect(trust('linklocal,uniquelocal')).toEqual(['linklocal', 'uniquelocal']);
    expect(defaultConfig.trustProxy).toBe(false);
  });
  it('when TILE_CRS is set, then wgs84 (the default) or gcj02 is read, in either case', () => {
    expect(configFromEnv({}).tileCrs).toBe('wgs84');
    expect(configFromEnv({ TILE_CRS: 'gcj02' }).tileCrs).toBe('gcj02');
    expect(configFromEnv({ TILE_CRS: 'GCJ02' }).tileCrs).toBe('gcj02');
    expect(configFromEnv({ TILE_CRS: 'wgs84' }).tileCrs).toBe('wgs84');
  });
  it('when TILE_CRS is bd09 or unknown, then one line names the variable and says why', () => {
    const message = (env: Record<string, string>) => {
      try {
        configFromEnv(env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
      throw new Error('no ConfigError');
    };
    // Baidu: the datum shift alone would not put sites on its tiles, so it is refused by name.
    expect(message({ TILE_CRS: 'bd09' })).toMatch(/^TILE_CRS: bd09 \(Baidu\) tiles use their own projection[^\n]*$/);
    for (const bad of ['mars', 'epsg3857', 'gcj-02'])
      expect(message({ TILE_CRS: bad })).toBe(`TILE_CRS: expected wgs84 or gcj02 (got "${bad}")`);
  });
  it("when PUSH_HOSTS is set, then those hosts replace the browsers' push services; an empty or odd list is refused", () => {
    expect(configFromEnv({}).pushHosts).toContain('fcm.googleapis.com');
    expect(configFromEnv({ PUSH_HOSTS: ' Push.Example.CN , fcm.googleapis.com' }).pushHosts).toEqual([
      'push.example.cn',
      'fcm.googleapis.com',
    ]);
    for (const bad of [',', 'https://push.example', 'a b'])
      expect(() => configFromEnv({ PUSH_HOSTS: bad }), bad).toThrow(ConfigError);
  });
  it('when TRUST_PROXY is not a valid value, then one line names the variable', () => {
    for (const bad of ['yes', '10.0.0.0/33', 'loopback,,10.0.0.1', 'nginx', '1.5']) {
      expect(() => configFromEnv({ TRUST_PROXY: bad }), bad).toThrow(ConfigError);
      try {
        configFromEnv({ TRUST_PROXY: bad });
      } catch (err) {
        expect((err as Error).message.split('\n')).toHaveLength(1);
        expect((err as Error).message).toMatch(/^TRUST_PROXY: /);
      }
    }
  });

  describe('VAPID_* (Web Push)', () => {
    // Real key pairs, from web-push itself (what `npx web-push generate-vapid-keys` prints).
    const keys = webpush.generateVAPIDKeys();
    const pair = {
      VAPID_PUBLIC_KEY: keys.publicKey,
      VAPID_PRIVATE_KEY: keys.privateKey,
      VAPID_SUBJECT: 'mailto:ops@example.cn',
    };
    const lineOf = (env: Record<string, string>): string => {
      try {
        configFromEnv(env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
      throw new Error('expected a ConfigError');
    };

    it('when none is set, then Web Push is off; when all three are, then they are read', () => {
      expect(configFromEnv({}).vapid).toBeNull();
      expect(configFromEnv(pair).vapid).toEqual({
        publicKey: pair.VAPID_PUBLIC_KEY,
        privateKey: pair.VAPID_PRIVATE_KEY,
        subject: 'mailto:ops@example.cn',
      });
      expect(configFromEnv({ ...pair, VAPID_SUBJECT: 'https://q.example.cn/contact' }).vapid?.subject).toBe(
        'https://q.example.cn/contact',
      );
    });

    it('when only some are set, then one line names the missing ones', () => {
      const line = lineOf({ VAPID_PUBLIC_KEY: pair.VAPID_PUBLIC_KEY });
      expect(line.split('\n')).toHaveLength(1);
      expect(line).toMatch(/^VAPID_PRIVATE_KEY, VAPID_SUBJECT: Web Push needs all three/);
    });

    it('when a key is malformed or the pair does not match, then one line names it and the private key is never echoed', () => {
      expect(lineOf({ ...pair, VAPID_PUBLIC_KEY: 'abc' })).toMatch(/^VAPID_PUBLIC_KEY: expected 65 bytes/);
      const bad = lineOf({ ...pair, VAPID_PRIVATE_KEY: 'not base64url!' });
      expect(bad).toMatch(/^VAPID_PRIVATE_KEY: expected base64url/);
      expect(bad).not.toContain('not base64url!');
      expect(lineOf({ ...pair, VAPID_PRIVATE_KEY: webpush.generateVAPIDKeys().privateKey })).toBe(
        'VAPID_PRIVATE_KEY: does not belong to VAPID_PUBLIC_KEY',
      );
      expect(lineOf({ ...pair, VAPID_SUBJECT: 'ops@example.cn' })).toMatch(/^VAPID_SUBJECT: expected mailto:/);
    });
  });
});
