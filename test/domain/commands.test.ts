import { suggestCategory } from '../../src/domain/category';
import { parseCommand, parseRefusal } from '../../src/domain/commands';

/** the 民情日记 category guess and the text commands, parsed without side effects. */
describe('suggestCategory', () => {
  it.each([
    ['村口路灯坏了三天了', 5],
    ['自来水停了好几天', 5],
    ['我家低保今年还没发', 5],
    ['邻居占了我家宅基地', 4],
    ['想了解合作社养殖的事', 1],
    ['村里账目不公开', 3],
    ['村干部作风有问题', 2],
    ['有人聚众赌博', 6],
    ['村口垃圾成堆没人管', 7],
    // The more specific word wins over a one-character one of another category.
    ['路边垃圾成堆没人管', 7],
    ['路上的污水臭得很', 7],
    ['你好', 8],
  ])('%s → %i', (text, cat) => {
    expect(suggestCategory(text)).toBe(cat);
  });
});

describe('parseCommand', () => {
  it.each<[string, unknown]>([
    ['查询', { name: 'query' }],
    ['查询 20261126-001', { name: 'query', code: '20261126-001' }],
    ['查询 我的路灯', null],
    ['补充 已经三天了', { name: 'supplement', text: '已经三天了' }],
    ['评价 1', { name: 'rate', value: 1, code: undefined }],
    ['评价 20261126-001 2', { name: 'rate', value: 2, code: '20261126-001' }],
    ['评价 2 20261126-001', { name: 'rate', value: 2, code: '20261126-001' }],
    ['评价 3', null],
    ['１', { name: 'rate', value: 1, bare: true }],
    ['满意', { name: 'rate', value: 1, bare: true }],
    ['申诉', { name: 'appeal', code: undefined, text: undefined }],
    ['申诉 20261126-001 收入算错了', { name: 'appeal', code: '20261126-001', text: '收入算错了' }],
    ['帮助', { name: 'help' }],
    ['待办', { name: 'worklist' }],
    ['进展 20261126-001 已联系电工', { name: 'progress', code: '20261126-001', text: '已联系电工' }],
    ['进展 20261126-001', { name: 'bad', usage: '进展 编号 办理情况' }],
    ['办结 20261126－001 已修好', { name: 'resolve', code: '20261126-001', text: '已修好' }],
    ['时限 20261126-001 12月31日', { name: 'deadline', code: '20261126-001', date: '12月31日' }],
    ['分类 20261126-001 7', { name: 'category', code: '20261126-001', category: 7 }],
    ['分类 20261126-001 9', { name: 'bad', usage: '分类 编号 1-8' }],
    ['合并 20261126-002 20261126-001', { name: 'merge', code: '20261126-002', into: '20261126-001' }],
    ['上报 20261126-001 2026-12-31', { name: 'escalate', code: '20261126-001', date: '2026-12-31' }],
    ['日记 今天走访了三户', { name: 'diary', text: '今天走访了三户' }],
    ['日记', { name: 'bad', usage: '日记 [分类1-8] 内容' }],
    ['日记 4 调解纠纷', { name: 'diary', text: '调解纠纷', category: 4 }],
    ['日记 【7】 清理垃圾', { name: 'diary', text: '清理垃圾', category: 7 }],
    ['日记 村容村貌整治 清理垃圾', { name: 'diary', text: '清理垃圾', category: 7 }],
    ['日记 9 九件事', { name: 'diary', text: '9 九件事' }],
    ['户主会 关沟村 商量修路', { name: 'heads_meeting', village: '关沟村', text: '商量修路' }],
    ['审阅 张三 记录详实', { name: 'review', person: '张三', text: '记录详实' }],
    ['审阅 张三', { name: 'review', person: '张三', text: '' }],
    ['自评 本季度走访偏少', { name: 'self_assessment', text: '本季度走访偏少' }],
    ['交接 20261126-001 罗先运', { name: 'handover', code: '20261126-001', to: '罗先运' }],
    ['交接 20261126-001', { name: 'bad', usage: '交接 编号 接手人姓名' }],
    ['回访 20261126-001 不满意 灯又坏了', { name: 'callback', code: '20261126-001', satisfied: false, note: '灯又坏了' }],
    ['回访 20261126-001 1', { name: 'callback', code: '20261126-001', satisfied: true, note: '' }],
    ['回访 20261126-001', { name: 'bad', usage: '回访 编号 满意|不满意 群众说的话' }],
    ['村口路灯坏了', null],
    ['新问题', { name: 'split_off' }],
    ['新问题 路灯又坏了', null],
    ['拆分 20261126-001', { name: 'split', code: '20261126-001' }],
    ['拆分', { name: 'bad', usage: '拆分 编号' }],
    ['拆分 20261126-001 多余', { name: 'bad', usage: '拆分 编号' }],
  ])('%s', (text, want) => {
    expect(parseCommand(text)).toEqual(want);
  });

  it('reads a 否定报备 form in either order, and only with both parts', () => {
    expect(parseRefusal('依据：《土地管理法》第六十二条；理由：不能占用')).toEqual({ basis: '《土地管理法》第六十二条', reason: '不能占用' });
    expect(parseRefusal('理由: 不能占用\n依据: 第六十二条')).toEqual({ basis: '第六十二条', reason: '不能占用' });
    expect(parseRefusal('理由：不能占用')).toBeNull();
    expect(parseRefusal('依据：第六十二条；理由：')).toBeNull();
  });
});
