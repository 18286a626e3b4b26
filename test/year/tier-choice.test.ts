import { newRequestCard } from '../../cards/content';
import { toDingtalkCardData } from '../../cards/dingtalk';
import { toWecomTemplateCard } from '../../cards/wecom';
import { DEFAULT_MATTERS, mergeCatalogue } from '../../src/domain/catalogue';
import { TIER_CHOICES } from '../../src/domain/deadline';
import { defaultTier, tierChoiceFor, tierChoiceLabel } from '../../src/domain/tier-choice';

/** The new request card's 时限 choice comes from the 农事村办 catalogue (docs/interface.md#year). */
describe('tier choice from the catalogue', () => {
  const view = { id: 1, code: '20261126-001', villageName: '关沟村', reporterName: '袁志弟', text: '想给孩子上户口', receivedAt: '11月26日 10:00', deadline: null, ownerName: null, statusLabel: '待受理' };

  it('preselects the matter of the text, marked with its name', () => {
    const c = tierChoiceFor('想给孩子上户口，要带什么', DEFAULT_MATTERS);
    expect(c.matter?.id).toBe('hukou');
    expect(c.selected).toBe('beyond:10');
    expect(c.options.map((o) => o.id)).toEqual(TIER_CHOICES.map((o) => o.id));
    expect(c.options.find((o) => o.id === 'beyond:10')?.text).toBe('需上级审批·承诺10个工作日（户口迁移）');
    expect(defaultTier('想给孩子上户口', DEFAULT_MATTERS)).toBe('beyond:10');
  });

  it('adds a tier the usual choices lack, and leaves text of no matter alone', () => {
    const cat = mergeCatalogue([{ id: 'hukou', tier: 'beyond:15' }]);
    const c = tierChoiceFor('户口迁移', cat);
    expect(c.options.at(-1)).toEqual({ id: 'beyond:15', text: '需上级审批·承诺15个工作日（户口迁移）' });
    expect(tierChoiceLabel('joint:7')).toBe('联办·商定7个工作日');
    expect(tierChoiceFor('村口路灯坏了', DEFAULT_MATTERS)).toEqual({ options: TIER_CHOICES, matter: null });
    expect(defaultTier('村口路灯坏了', DEFAULT_MATTERS)).toBe('general');
  });

  it('WeCom shows the preselected option; without one, the first', () => {
    const c = tierChoiceFor('想给孩子上户口', DEFAULT_MATTERS);
    const card = newRequestCard(view, c.options, { selected: c.selected });
    expect(card.select?.selected).toBe('beyond:10');
    expect((toWecomTemplateCard(card, 't1').button_selection as { selected_id: string }).selected_id).toBe('beyond:10');
    const plain = newRequestCard(view, TIER_CHOICES);
    expect(plain.select?.selected).toBeUndefined();
    expect((toWecomTemplateCard(plain, 't2').button_selection as { selected_id: string }).selected_id).toBe('general');
    expect(newRequestCard(view, TIER_CHOICES, { selected: 'nonsense' }).select?.selected).toBeUndefined();
  });

  it('DingTalk shows the preselected option through the template\'s select_default; without one, none', () => {
    const c = tierChoiceFor('想给孩子上户口', DEFAULT_MATTERS);
    expect(toDingtalkCardData(newRequestCard(view, c.options, { selected: c.selected })).select_default).toBe('beyond:10');
    expect(toDingtalkCardData(newRequestCard(view, TIER_CHOICES)).select_default).toBe('');
  });
});
