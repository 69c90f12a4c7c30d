import SqliteDatabase from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { preparingOnce } from '../../src/state/statement-cache.js';

describe('preparingOnce', () => {
  it('prepares each SQL text once, keeps the latest 256, and its statements still answer', () => {
    const sqlite = new SqliteDatabase(':memory:');
    sqlite.exec('create table t (n integer)');
    const connection = preparingOnce(sqlite);
    const insert = connection.prepare('insert into t (n) values (?)');
    expect(connection.prepare('insert into t (n) values (?)')).toBe(insert);
    for (let n = 0; n < 3; n++) connection.prepare('insert into t (n) values (?)').run(n);
    expect(connection.prepare('select count(*) as c from t').get()).toEqual({ c: 3 });
    // 256 other statements later, the first is prepared again (and works as before).
    for (let n = 0; n < 256; n++) connection.prepare(`select ${n} as n`);
    const again = connection.prepare('insert into t (n) values (?)');
    expect(again).not.toBe(insert);
    again.run(9);
    expect(connection.prepare('select count(*) as c from t').get()).toEqual({ c: 4 });
    connection.close();
  });
});
