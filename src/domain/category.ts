/**
 * 民情日记 categories (docs/rules.md#6, seed 002 §三.(一), docs/rules.md#sources) and a keyword guess the cadre can change.
 */
export const CATEGORIES: Record<number, string> = {
  1: '农村经济发展',
  2: '村级组织建设',
  3: '村务民主管理',
  4: '农村矛盾纠纷',
  5: '群众关注的热点难点',
  6: '精神文明建设',
  7: '村容村貌整治',
  8: '其他',
};

const KEYWORDS: [number, string[]][] = [
  [4, ['纠纷', '吵架', '打架', '矛盾', '占地', '宅基地', '边界', '欠钱', '欠款', '赔偿', '邻居', '土地承包', '争']],
  [5, ['治安', '偷', '盗', '低保', '救助', '补助', '负担', '乱收费', '住房', '危房', '房子', '饮水', '自来水', '停水', '水管', '吃水', '上学', '读书', '学校', '看病', '医保', '医疗', '卫生院', '路', '桥', '路灯', '停电', '电']],
  [7, ['垃圾', '卫生', '厕所', '污水', '臭', '乱堆', '乱放', '绿化', '环境', '粪']],
  [1, ['种植', '养殖', '产业', '合作社', '收入', '致富', '农资', '化肥', '种子', '贷款', '销售', '收购']],
  [3, ['村务', '公开', '账目', '财务', '选举', '补贴发放', '公示', '集体资产']],
  [2, ['党员', '支部', '村干部', '两委', '作风']],
  [6, ['赌博', '封建迷信', '红白喜事', '大操大办', '孝', '赡养', '文明']],
];

/**
 * The category of the longest keyword found in `text` (路边垃圾 is 村容村貌 by 垃圾, not 行路 by 路);
 * on a tie, the one listed first. 8 (其他) when nothing matches.
 */
export function suggestCategory(text: string): number {
  let best = { cat: 8, len: 0 };
  for (const [cat, words] of KEYWORDS) {
    for (const w of words) if (w.length > best.len && text.includes(w)) best = { cat, len: w.length };
  }
  return best.cat;
}
