import { decodeText, parseCsv } from '../../src/cli/table';
import { findHousehold, Household, HouseholdFileError, normalizeGroup, parseHouseholdRows, parseHouseholdText, villageOf } from '../../src/domain/households';

/** docs/interface.md#year: the 民情档案 read from a township's spreadsheet, and `走访 户主 情况` finding its household. */
const VILLAGES = [{ id: 'guangou', name: '关沟村' }, { id: 'baiya', name: '白垭村' }];

describe('normalizeGroup', () => {
  it.each([
    ['3组', '3'], ['3', '3'], ['03', '3'], ['３组', '3'], ['三组', '3'], ['第三村民小组', '3'], ['十二组', '12'], ['二十社', '20'],
    ['两组', '2'], ['东头', '东头'], ['', ''], [' ', ''], [null, ''],
  ])('%j → %j', (raw, want) => expect(normalizeGroup(raw as string)).toBe(want));
});

describe('parseHouseholdText', () => {
  it.each([
    ['张三', { head: '张三', group: '' }],
    ['3组张三', { head: '张三', group: '3' }],
    ['三组的张三', { head: '张三', group: '3' }],
    ['张三（3组）', { head: '张三', group: '3' }],
    ['张三家', { head: '张三', group: '' }],
    ['张三 5组', { head: '张三', group: '5' }],
  ])('%j', (text, want) => expect(parseHouseholdText(text)).toEqual(want));
});

describe('findHousehold', () => {
  const h = (id: number, villageId: string, head: string, group: string, active = true): Household => ({ id, villageId, head, group, phone: null, members: null, note: null, active });
  const list = [h(1, 'guangou', '张三', '3'), h(2, 'guangou', '张三', '5'), h(3, 'guangou', '马桂兰', '1'), h(4, 'baiya', '马桂兰', '2'), h(5, 'guangou', '袁志弟', '2', false)];

  it('finds a household by head, narrowed by 组', () => {
    expect(findHousehold(list, 'guangou', '3组张三')).toEqual({ kind: 'one', household: list[0] });
    expect(findHousehold(list, 'guangou', '张三（5组）')).toEqual({ kind: 'one', household: list[1] });
    expect(findHousehold(list, 'guangou', '马桂兰家')).toEqual({ kind: 'one', household: list[2] });
  });
  it('says when the name alone does not tell two households apart', () => {
    expect(findHousehold(list, 'guangou', '张三')).toEqual({ kind: 'many', households: [list[0], list[1]] });
    expect(findHousehold(list, null, '马桂兰')).toEqual({ kind: 'many', households: [list[2], list[3]] });
  });
  it('keeps to the village, to households on the register, and to the 组 given', () => {
    expect(findHousehold(list, 'baiya', '张三')).toEqual({ kind: 'none' });
    expect(findHousehold(list, 'guangou', '袁志弟')).toEqual({ kind: 'none' });
    expect(findHousehold(list, 'guangou', '4组张三')).toEqual({ kind: 'none' });
    expect(findHousehold(list, 'guangou', '')).toEqual({ kind: 'none' });
  });
});

describe('villageOf', () => {
  it.each([['guangou', 'guangou'], ['关沟村', 'guangou'], ['关沟', 'guangou'], ['关沟村委会', 'guangou'], ['白垭', 'baiya'], ['石门村', undefined]])('%j', (t, id) => {
    expect(villageOf(VILLAGES, t)?.id).toBe(id);
  });
});

describe('parseHouseholdRows', () => {
  const rows = (csv: string) => parseCsv(csv);
  it('reads the columns by their Chinese headers, in any order, and gives file row numbers', () => {
    const r = parseHouseholdRows(rows('备注,户主,联系电话,村,组,人口\n低保户,张三,138 0000 0001,关沟村,三组,4\n\n,马桂兰,,guangou,,\n'), VILLAGES);
    expect(r.refused).toEqual([]);
    expect(r.ok).toEqual([
      { row: 2, villageId: 'guangou', head: '张三', group: '3', phone: '13800000001', members: 4, note: '低保户' },
      { row: 4, villageId: 'guangou', head: '马桂兰', group: '', phone: null, members: null, note: null },
    ]);
  });
  it('leaves out the fields whose column the file lacks, and reads 状态', () => {
    const r = parseHouseholdRows(rows('户主,村,状态\n张三,关沟,在册\n李四,关沟,迁出\n'), VILLAGES);
    expect(r.ok).toEqual([{ row: 2, villageId: 'guangou', head: '张三', group: '', active: true }, { row: 3, villageId: 'guangou', head: '李四', group: '', active: false }]);
  });
  it('refuses bad rows with their row number and reason, and keeps the good ones', () => {
    const r = parseHouseholdRows(rows([
      '户主,村,组,联系电话,人口',
      '张三,关沟村,3组,,4', //        2 ok
      ',关沟村,3组,,', //              3 no head
      '王五,石门村,1组,,', //          4 unknown village
      '赵六,,1组,,', //                5 no village
      '张三,guangou,三组,,', //        6 same as row 2
      '钱七,关沟村,1组,电话未知,', //  7 phone
      '孙八,关沟村,1组,,四口', //       8 members
    ].join('\r\n')), VILLAGES);
    expect(r.ok.map((h) => h.row)).toEqual([2]);
    expect(r.refused).toEqual([
      { row: 3, reason: '缺少户主 / missing 户主' },
      { row: 4, reason: '未知的村“石门村” / unknown village "石门村"' },
      { row: 5, reason: '缺少村 / missing 村' },
      { row: 6, reason: '与第2行是同一户 / the same household as row 2' },
      { row: 7, reason: '联系电话有误“电话未知” / 联系电话 is not a phone number' },
      { row: 8, reason: '人口有误“四口” / 人口 must be a whole number 0–99' },
    ]);
  });
  it('refuses a file whose header lacks 户主 or 村', () => {
    expect(() => parseHouseholdRows(rows('姓名,地址\n张三,关沟村\n'), VILLAGES)).toThrow(HouseholdFileError);
    expect(() => parseHouseholdRows(rows('\n\n'), VILLAGES)).toThrow(/空/);
  });
});

describe('parseCsv and decodeText', () => {
  it('reads quoted fields with commas, quotes and line breaks, and CRLF / LF / CR rows', () => {
    expect(parseCsv('a,"b,c","say ""hi""","two\nlines"\r\nd,e\rf\n')).toEqual([['a', 'b,c', 'say "hi"', 'two\nlines'], ['d', 'e'], ['f']]);
    expect(parseCsv('x,\n,y')).toEqual([['x', ''], ['', 'y']]);
    expect(parseCsv('')).toEqual([]);
  });
  it('drops a UTF-8 BOM, and reads GBK / GB18030 as Excel on a Chinese Windows writes it', () => {
    expect(decodeText(Buffer.from('\uFEFF户主,村\n', 'utf8'))).toBe('户主,村\n');
    expect(decodeText(Buffer.from('户主,村\n', 'utf8'))).toBe('户主,村\n');
    expect(decodeText(Buffer.from('BBA7D6F72CB4E50D0AD5C5C8FD2CB9D8B9B5B4E5', 'hex'))).toBe('户主,村\r\n张三,关沟村');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('户主,村', 'utf16le')]);
    expect(decodeText(utf16)).toBe('户主,村');
  });
});
