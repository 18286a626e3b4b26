import { DEFAULT_MATTERS, matchMatter, matterNotice, mergeCatalogue, TIER_CHOICE } from '../../src/domain/catalogue';
import { WorkCalendar } from '../../src/domain/calendar';
import { resolveTierChoice } from '../../src/domain/deadline';
import { parseOrg } from '../../src/domain/org';
import { directoryOf } from '../helpers/org-dir';

/** Seed 001 §二.8 农事村办: matters, materials, where, and the default 时限. */
const base = { township: { name: '县河镇' }, people: [], villages: [] };

describe('the built-in catalogue', () => {
  it('has the seven matters of seed 001 §二.8, each complete and with a 时限 the card understands', () => {
    expect(DEFAULT_MATTERS.map((m) => m.name)).toEqual(['婚育证件', '户口迁移', '医疗保险', '农村低保', '建房审批', '涉农补贴', '党员组织关系接转']);
    const cal = new WorkCalendar();
    for (const m of DEFAULT_MATTERS) {
      expect(m.materials.length).toBeGreaterThan(0);
      expect(m.where).toMatch(/。$/);
      expect(m.tier).toMatch(TIER_CHOICE);
      expect(resolveTierChoice(cal, m.tier, new Date('2026-11-26T02:00:00Z')).tier).toBe(m.tier.split(':')[0]);
    }
  });
});

describe('matchMatter', () => {
  it.each([
    ['我想申请低保，家里老人生病没有收入', 'dibao'],
    ['请问准生证怎么办', 'hunyu'],
    ['孩子户口要从外省迁回来', 'hukou'],
    ['住院报销需要带什么', 'yibao'],
    ['我家想在老宅基地上翻建房子', 'jianfang'],
    ['今年的耕地地力补贴怎么还没到一卡通', 'butie'],
    ['我是外出党员，组织关系要转回村里', 'zuzhi'],
    ['新农合今年缴费多少', 'yibao'],
  ])('%s → %s', (text, id) => expect(matchMatter(text)?.id).toBe(id));

  it('is null for what is not a 农事村办 matter', () => {
    expect(matchMatter('村口路灯坏了三天了')).toBeNull();
    expect(matchMatter('   ')).toBeNull();
  });

  it('picks the matter with more of the text behind it', () => {
    // 补助 alone is ambiguous; 低保 and 困难补助 make it 低保, 农机补贴 makes it 涉农补贴.
    expect(matchMatter('低保户的困难补助什么时候发')?.id).toBe('dibao');
    expect(matchMatter('农机补贴申请')?.id).toBe('butie');
  });
});

describe('the township’s changes in the org file', () => {
  it('changes fields of a built-in matter, drops one, adds one', () => {
    const org = parseOrg({
      ...base,
      matters: [
        { id: 'dibao', where: '村委会受理，镇社会事务办审核。', tier: 'beyond:10' },
        { id: 'zuzhi', off: true },
        { id: 'canji', name: '残疾证办理', keywords: ['残疾证', '残疾人证', '评残'], materials: ['身份证', '户口本', '近期免冠照片'], where: '村便民服务室代办，县残联评定。', tier: 'beyond:20' },
      ],
    });
    const cat = mergeCatalogue(org.matters);
    expect(cat.find((m) => m.id === 'dibao')).toMatchObject({ name: '农村低保', where: '村委会受理，镇社会事务办审核。', tier: 'beyond:10' });
    expect(cat.some((m) => m.id === 'zuzhi')).toBe(false);
    expect(matchMatter('组织关系转接', cat)).toBeNull();
    expect(matchMatter('我想办残疾证', cat)?.name).toBe('残疾证办理');
    expect(DEFAULT_MATTERS.find((m) => m.id === 'dibao')?.tier).toBe('beyond:20'); // the built-in list is not changed
  });

  it('refuses a new matter missing a field, a bad 时限 and a repeated id', () => {
    expect(() => parseOrg({ ...base, matters: [{ id: 'canji', name: '残疾证办理' }] })).toThrow(/matters\.0\.keywords: a new matter "canji" needs keywords/);
    expect(() => parseOrg({ ...base, matters: [{ id: 'dibao', tier: 'beyond' }] })).toThrow(/matters\.0\.tier/);
    expect(() => parseOrg({ ...base, matters: [{ id: 'dibao', tier: 'general' }, { id: 'dibao', off: true }] })).toThrow(/matter id "dibao" is used twice/);
  });

  it('reaches the Directory', () => {
    const dir = directoryOf({ ...base, matters: [{ id: 'hukou', note: '请先电话咨询派出所。' }] });
    expect(dir.catalogue().find((m) => m.id === 'hukou')?.note).toBe('请先电话咨询派出所。');
    expect(directoryOf(base).catalogue()).toEqual(DEFAULT_MATTERS);
  });
});

describe('matterNotice', () => {
  it('says in one message what to bring, where, and how long', () => {
    const dibao = DEFAULT_MATTERS.find((m) => m.id === 'dibao')!;
    expect(matterNotice(dibao)).toBe(
      '办理事项：农村低保\n请携带：申请书、户口本、家庭成员身份证、家庭收入情况说明、病历或残疾证等证明、银行卡（社保卡）\n' +
        '办理地点：村委会受理、入户调查并民主评议公示，镇民政办审核，县民政局审批。\n办理时限：材料齐全后需上级审批，承诺20个工作日内办结。',
    );
    expect(matterNotice(DEFAULT_MATTERS.find((m) => m.id === 'jianfang')!)).toMatch(/温馨提示：审批前请勿动工。$/);
  });
});
