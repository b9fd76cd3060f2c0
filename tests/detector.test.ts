import { describe, expect, it } from 'vitest';
import { compareSeverity, createDetector, factsOf, normalise, SEVERITY_ORDER, type Detection, type WorryLabel } from '../src/detector/index.js';
import { compileLexicon } from '../src/detector/compile.js';
import { Scorer } from '../src/detector/score.js';

// Lexicon rules are tested without the learned second opinion, so each case shows one rule at work.
const lexicon = createDetector({ secondOpinion: false });
const detect = (text: string): Detection => lexicon.detect(text);
const labelOf = (text: string): WorryLabel => detect(text).label;

describe('worry detector: every label, and the hard negatives it must not fire on', () => {
  it('safety: bullying, violence, self-harm, injury, a missing child, abuse — always urgent', () => {
    for (const text of [
      '孩子说班上有几个人一直欺负他，还不让他告诉老师',
      '他今天说不想活了，说活着没意思',
      '放学两个小时了还没到家，电话手表也联系不上',
      '女儿说补习班有个叔叔老是摸她',
      '体育课被同学推倒，膝盖缝了三针',
      '孩子手臂上好几道划痕，说是自己用小刀划的',
    ]) {
      expect(detect(text), text).toMatchObject({ label: 'safety', severity: 'urgent' });
    }
  });

  it('safety hard negatives: notices, safety lessons, resolved scuffles, negated injury, titles, idioms', () => {
    for (const text of [
      '【转发】预防校园欺凌告家长书，请签字后带回',
      '今天安全课讲了遇到陌生人怎么办，孩子回来给我们演示',
      '上次说被同学推了一下，后来问清楚是闹着玩，两个孩子已经和好了',
      '孩子没受伤，就是吓了一跳，谢谢老师',
      '作文《被欺负的那一天》要写多少字？',
      '这道题把孩子彻底打败了，明天再战',
      '孩子每天坚持打卡，被老师表扬了',
    ]) {
      expect(labelOf(text), text).toBe('none');
    }
  });

  it('refund: money back, quitting, not renewing, switching provider', () => {
    for (const text of [
      '我们决定不续了，剩下的课时麻烦帮忙退一下',
      '退费申请交了十天了还没到账',
      '下学期准备换一家机构，这边就不报了',
      '孩子不想学了，没上完的课能退吗',
    ]) {
      expect(labelOf(text), text).toBe('refund');
    }
  });

  it('refund hard negatives: asking for a friend, calm policy questions, decided to stay, renewing', () => {
    for (const text of [
      '帮朋友问一下，你们的课中途能退吗？',
      '请问退费政策在哪里能看到？',
      '本来想退的，孩子说喜欢新老师，决定继续上了',
      '续费链接发一下，我们继续上',
      '孩子的烧已经退了，明天正常上课',
    ]) {
      expect(labelOf(text), text).toBe('none');
    }
  });

  it('complaint: no reply, perfunctory answers, broken promises, repeated faults', () => {
    for (const text of [
      '问了三遍作业答案什么时候发，一直没人回',
      '说好的每周学习反馈呢？一个月了',
      '批改就写个“阅”，也太敷衍了',
      '直播又卡了，这周已经第三次了',
      '报名的时候说是小班课，结果一个班四十多个人',
    ]) {
      expect(labelOf(text), text).toBe('complaint');
    }
  });

  it('complaint hard negatives: calm help requests, our own network, fixed problems', () => {
    for (const text of [
      '链接打不开，是要用浏览器打开吗？',
      '不是老师的问题，是我们家网络太差了',
      '上次反馈的回放问题已经解决了，谢谢',
      '刚才发错群了，不好意思',
    ]) {
      expect(labelOf(text), text).toBe('none');
    }
  });

  it('wellbeing: crying, refusing school, withdrawal, sleep, anger, screens', () => {
    for (const text of [
      '孩子这几天一到晚上就哭，说不想去学校',
      '最近动不动就发脾气，说两句就摔门',
      '放学回来就把自己关在房间里，一句话都不说',
      '每天抱着手机刷短视频到凌晨，一收就大吵大闹',
      '这段时间一直失眠，白天没精神',
    ]) {
      expect(labelOf(text), text).toBe('wellbeing');
    }
  });

  it('wellbeing hard negatives: moved by a story, jokes, resolved, a parent\'s own stress', () => {
    for (const text of [
      '孩子读课文读哭了，说太感人了',
      '我家娃也天天说不想上学，说完就去找同学玩了，哈哈',
      '之前一写作业就哭，现在好多了，谢谢老师',
      '我上班压力大是我的事，孩子这边一切都好',
    ]) {
      expect(labelOf(text), text).toBe('none');
    }
  });

  it('academic: falling grades, falling behind, homework far too long, worried parents', () => {
    for (const text of [
      '期中数学才考了61分，感觉已经跟不上了',
      '每天作业写到十一点，一道题要磨二十分钟',
      '单词背了就忘，听写一半都写不对，真着急',
      '这次排名从前十掉到了三十多名',
    ]) {
      expect(labelOf(text), text).toBe('academic');
    }
  });

  it('academic hard negatives: homework titles, resolved worry, negated worry, calm questions', () => {
    for (const text of [
      '今天的作文题目是《我的烦恼》，三百字',
      '之前担心跟不上，这次单元测验考了95，放心了',
      '不焦虑不焦虑，孩子开心最重要',
      '请问期中考试考哪几个单元？',
      '用“担心”造句，孩子写的是“妈妈担心我着凉”',
    ]) {
      expect(labelOf(text), text).toBe('none');
    }
  });

  it('takes the more urgent label when two fit (safety > refund > complaint > wellbeing > academic)', () => {
    expect(labelOf('孩子天天哭着不想上学，今天才说是有人在路上堵他要钱')).toBe('safety');
    expect(labelOf('直播卡成这样，作业也没人批，我们要求退课')).toBe('refund');
    expect(labelOf('期末成绩下滑，孩子压力太大，晚上偷偷哭')).toBe('wellbeing');
  });
});

describe('worry detector: context words inside longer phrases', () => {
  it('good news inside sarcasm is not good news', () => {
    const d = detect('效率可真高啊，问个问题两天才回');
    expect(d.label).toBe('complaint');
    expect(d.reasons).toContain('反讽:效率可真高');
    expect(labelOf('效率真高啊，孩子很喜欢这个老师')).toBe('none');
  });

  it('a bully\'s excuse is not a parent\'s joke, while a parent\'s joke still softens', () => {
    expect(detect('同学拿圆规扎他，说是开玩笑')).toMatchObject({ label: 'safety', severity: 'high' });
    expect(labelOf('哈哈开玩笑的，他说同学都欺负他，其实是他先抢人家玩具')).toBe('none');
  });

  it('a phrase excluding every label settles the message, so the second opinion stays out', () => {
    const scorer = new Scorer(compileLexicon());
    const calm = scorer.analyse(normalise('试卷第二大题是不是印错了？少了一个条件'));
    expect(calm.settled).toBe(true);
    expect(calm.reasons).toContain('排除:是不是印错');
    expect(scorer.analyse(normalise('试卷第二大题印错了，少了一个条件')).settled).toBe(false);
    expect(createDetector().detect('试卷第二大题是不是印错了？少了一个条件').label).toBe('none');
  });
});

describe('worry detector: the second opinion on safety', () => {
  it('overrules a less urgent worry when the model is confident of danger, at high, never urgent', () => {
    const text = '女儿很害怕 天天哭 说有人在她的课桌里塞纸条 写着我盯着你';
    // The lexicon alone sees only the crying (if it learns this phrasing, pick another example).
    expect(labelOf(text)).toBe('wellbeing');
    const d = createDetector().detect(text);
    expect(d).toMatchObject({ label: 'safety', severity: 'high' });
    expect(d.reasons.at(-1)).toMatch(/^模型:安全\(0\.\d\d\)$/);
  });

  it('raises to safety what the lexicon passed over, and what context had settled, when the model is confident', () => {
    const scorer = new Scorer(compileLexicon());
    const passedOver = '那几个大孩子放学总在巷子里等我儿子 让他把零用的东西都留下';
    expect(labelOf(passedOver)).toBe('none');
    expect(createDetector().detect(passedOver)).toMatchObject({ label: 'safety', severity: 'high' });
    // 「误会一场」 settles the message for the lexicon; what follows it is still danger.
    const settled = '误会一场 他说那几个大孩子放学总在巷子里等他 让他把零用的东西留下';
    expect(scorer.analyse(normalise(settled)).settled).toBe(true);
    expect(labelOf(settled)).toBe('none');
    expect(createDetector().detect(settled)).toMatchObject({ label: 'safety', severity: 'high' });
    expect(createDetector().detect('误会一场，两个孩子已经和好了，谢谢老师').label).toBe('none');
  });
});

describe('worry detector: English and written Cantonese', () => {
  it('reads English phrases typed into Chinese chats', () => {
    expect(detect('my son was bullied at school again')).toMatchObject({ label: 'safety', severity: 'high' });
    expect(labelOf('nobody replied to my message, 两天了')).toBe('complaint');
    expect(labelOf('we want a refund for the remaining lessons')).toBe('refund');
    expect(labelOf('ok noted, no problem, thx')).toBe('none');
  });

  it('reads written Cantonese', () => {
    expect(detect('老師，佢話班上有人成日打佢')).toMatchObject({ label: 'safety', severity: 'urgent' });
    expect(labelOf('個仔唔想返學，成日喊')).toBe('wellbeing');
  });
});

describe('worry detector: acknowledgements', () => {
  it('short-circuits acknowledgements to none', () => {
    for (const text of ['收到', '好的，谢谢王老师', '👌👌', '[强][强]', '收到🙏', 'ok收到', '@李老师 收到，谢谢您', '+1']) {
      expect(detect(text), text).toEqual({ label: 'none', severity: 'none', score: 0, reasons: ['确认语'] });
    }
  });

  it('does not treat an acknowledgement followed by a worry as one', () => {
    expect(labelOf('收到，但是孩子今天又被同学打了')).toBe('safety');
  });
});

describe('worry detector: negation', () => {
  it('negated cues do not count, and the reasons show them', () => {
    const d = detect('孩子没有被欺负，只是跟同学闹了点小矛盾');
    expect(d.label).toBe('none');
    expect(d.reasons).toContain('否定:没有→欺负');
    expect(detect('不担心了，孩子进步很大').label).toBe('none');
    expect(detect('别担心，我家孩子刚开学也这样').label).toBe('none');
  });

  it('the scope of a negation ends at punctuation and contrast words', () => {
    expect(labelOf('他没说什么，回来才发现被同学打了')).toBe('safety');
    expect(labelOf('不是来找茬的，但作业连续两次被判错，明明是对的')).toBe('complaint');
  });

  it('a negator that belongs to a word is not a negation (不想上学, 特别, 不知道)', () => {
    expect(labelOf('孩子最近不想上学')).toBe('wellbeing');
    expect(labelOf('最近特别焦虑，一上台手就抖')).toBe('wellbeing');
    expect(labelOf('不知道为什么孩子总是发脾气')).toBe('wellbeing');
  });
});

describe('worry detector: sarcasm, degree and urgency', () => {
  it('reads sarcasm and rhetorical jabs as complaints', () => {
    const d = detect('呵呵，真是好服务，问个问题等了一整天');
    expect(d.label).toBe('complaint');
    expect(d.reasons).toContain('反讽:呵呵');
    expect(labelOf('交了钱就没人管了是吧')).toBe('complaint');
    expect(labelOf('老师讲得真是好清楚啊，孩子一下就懂了')).toBe('none');
  });

  it('degree adverbs strengthen a cue', () => {
    expect(detect('孩子最近特别焦虑').score).toBeGreaterThan(detect('孩子最近焦虑').score);
    expect(detect('孩子最近特别焦虑').reasons).toContain('程度:特别');
  });

  it('urgency raises severity', () => {
    const calm = detect('作业批改太敷衍了');
    const pressed = detect('作业批改太敷衍了，到底有没有人管！！！');
    expect(calm.label).toBe('complaint');
    expect(pressed.label).toBe('complaint');
    expect(compareSeverity(pressed.severity, calm.severity)).toBeGreaterThan(0);
    expect(pressed.reasons).toContain('紧急:到底');
  });
});

describe('worry detector: emoji and stickers', () => {
  it('distress emoji and sticker codes add to a worry and show in the reasons', () => {
    const plain = detect('孩子又哭了');
    const crying = detect('孩子又哭了😭😭');
    expect(crying.label).toBe('wellbeing');
    expect(crying.score).toBeGreaterThan(plain.score);
    expect(crying.reasons).toContain('表情:😭');
    expect(detect('[流泪]孩子说同学都不跟她玩').reasons).toContain('表情:[流泪]');
  });

  it('emoji alone are not a worry, and 🙏 with thanks is politeness', () => {
    expect(labelOf('😭😭😭')).toBe('none');
    expect(labelOf('谢谢老师🙏')).toBe('none');
    expect(detect('一年级就跟不上，后面可怎么办啊🙏').reasons).toContain('表情:🙏');
  });

  it('laughing emoji mark a joke', () => {
    expect(labelOf('辅导作业辅导到怀疑人生😂😂')).toBe('none');
    expect(detect('写到十一点才写完，哈哈，他自己非要画完那幅画😂').label).toBe('none');
  });
});

describe('worry detector: Traditional Chinese', () => {
  it('detects worries written in Traditional characters', () => {
    expect(detect('他說不想活了，我好害怕')).toMatchObject({ label: 'safety', severity: 'urgent' });
    expect(labelOf('老師，孩子最近總是失眠，是不是壓力太大了')).toBe('wellbeing');
    expect(labelOf('我們想申請退費，剩下的課時麻煩核算一下')).toBe('refund');
    expect(labelOf('孩子這次數學只考了59分，跟不上了')).toBe('academic');
    expect(labelOf('已經反映兩次了，課件還是打不開')).toBe('complaint');
  });

  it('and the same hard negatives in Traditional', () => {
    expect(labelOf('之前的問題已經解決了，謝謝老師')).toBe('none');
    expect(labelOf('收到，謝謝李老師')).toBe('none');
  });
});

describe('worry detector: severity', () => {
  it('orders severities none < low < medium < high < urgent', () => {
    expect(SEVERITY_ORDER).toEqual(['none', 'low', 'medium', 'high', 'urgent']);
    expect(compareSeverity('urgent', 'high')).toBeGreaterThan(0);
    expect(compareSeverity('low', 'medium')).toBeLessThan(0);
    expect(compareSeverity('none', 'none')).toBe(0);
  });

  it('gives safety high, urgent on firm evidence of present danger; complaints and refunds at least medium, and none only to none', () => {
    expect(detect('孩子被同学打了').severity).toBe('high');
    for (const present of ['孩子不见了', '孩子说不想活了', '放学后一直没回家，电话手表也关机了', '同学天天打他，身上青一块紫一块']) {
      expect(detect(present).severity, present).toBe('urgent');
    }
    // Softened danger is never urgent: a forwarded warning, a healed injury.
    expect(detect('孩子上周摔伤的腿已经完全好了').label).toBe('none');
    expect(compareSeverity(detect('说好的周报呢').severity, 'medium')).toBeGreaterThanOrEqual(0);
    expect(compareSeverity(detect('我们不续了').severity, 'medium')).toBeGreaterThanOrEqual(0);
    expect(detect('孩子今天哭了').severity).not.toBe('none');
    expect(detect('明天几点上课？').severity).toBe('none');
  });

  it('stronger and repeated evidence gives a higher severity than a single weak cue', () => {
    const one = detect('孩子今天哭了');
    const many = detect('孩子最近天天哭，不肯进校门，晚上也睡不着');
    expect(compareSeverity(many.severity, one.severity)).toBeGreaterThan(0);
    expect(compareSeverity(detect('退费退费退费，说了多少遍了！！').severity, detect('我们不续了').severity)).toBeGreaterThan(0);
  });
});

describe('worry detector: conversation cues', () => {
  const now = Date.UTC(2025, 2, 3, 12, 0, 0);
  const minutes = (n: number) => n * 60_000;

  it('a member repeating a request turns a plain question into a low complaint', () => {
    const first = detect('请问作业答案什么时候发？');
    expect(first.label).toBe('none');
    const again = lexicon.detect('请问作业答案什么时候发', { now, recent: [{ text: '请问作业答案什么时候发？', timestamp: now - minutes(20) }] });
    expect(again).toMatchObject({ label: 'complaint', severity: 'low' });
    expect(again.reasons).toContain('重复提问:1次');
  });

  it('a question left unanswered past the limit raises severity; before the limit it does not', () => {
    const late = lexicon.detect('孩子的作业是不是漏批了？', { now, unansweredSinceMs: now - minutes(40) });
    expect(late.label).toBe('complaint');
    expect(late.reasons).toContain('久未回复:40分钟');
    expect(lexicon.detect('孩子的作业是不是漏批了？', { now, unansweredSinceMs: now - minutes(5) }).label).toBe('none');
  });

  it('raises the severity of a worried message, once per cue', () => {
    const text = '孩子最近数学跟不上了';
    const alone = lexicon.detect(text).severity;
    const repeated = lexicon.detect(text, { now, recent: [{ text: '孩子数学跟不上了', timestamp: now - minutes(60) }] }).severity;
    const both = lexicon.detect(text, {
      now, unansweredSinceMs: now - minutes(120), recent: [{ text: '孩子数学跟不上了', timestamp: now - minutes(60) }],
    }).severity;
    expect(alone).toBe('low');
    expect(compareSeverity(repeated, alone)).toBe(1);
    expect(compareSeverity(both, repeated)).toBe(1);
  });

  it('ignores old messages, different messages and acknowledgements', () => {
    const old = lexicon.detect('请问作业答案什么时候发', { now, recent: [{ text: '请问作业答案什么时候发', timestamp: now - minutes(60 * 48) }] });
    expect(old.label).toBe('none');
    const other = lexicon.detect('请问作业答案什么时候发', { now, recent: [{ text: '明天几点上课', timestamp: now - minutes(10) }] });
    expect(other.label).toBe('none');
    const ack = lexicon.detect('收到', { now, recent: [{ text: '收到', timestamp: now - minutes(1) }], unansweredSinceMs: now - minutes(90) });
    expect(ack.label).toBe('none');
  });
});

describe('worry detector: playbook knobs', () => {
  it('sensitivity moves the bar: cautious flags weak evidence, quiet needs more', () => {
    const cautious = createDetector({ sensitivity: 'cautious', secondOpinion: false });
    const quiet = createDetector({ sensitivity: 'quiet', secondOpinion: false });
    expect(lexicon.detect('孩子最近好累').label).toBe('none');
    expect(cautious.detect('孩子最近好累').label).toBe('wellbeing');
    expect(lexicon.detect('孩子今天哭了').label).toBe('wellbeing');
    expect(quiet.detect('孩子今天哭了').label).toBe('none');
  });

  it('safety does not become trigger-happy under cautious: weak signs still have to combine', () => {
    const cautious = createDetector({ sensitivity: 'cautious', secondOpinion: false });
    expect(cautious.detect('孩子今天吃了好多糖').label).not.toBe('safety');
  });

  it('extra terms add cues per class, including gapped ones, and label none excludes', () => {
    const plain = createDetector({ secondOpinion: false });
    const custom = createDetector({
      secondOpinion: false,
      extraTerms: [
        { term: '练习册…没到', label: 'complaint' },
        { term: '托管班要关门', label: 'refund', weight: 3 },
        { term: '哭泣的骆驼', label: 'none' },
      ],
    });
    expect(plain.detect('练习册到今天都没到').label).toBe('none');
    expect(custom.detect('练习册到今天都没到')).toMatchObject({ label: 'complaint' });
    expect(custom.detect('练习册到今天都没到').reasons).toContain('投诉:练习册…没到');
    expect(custom.detect('听说托管班要关门').label).toBe('refund');
    expect(plain.detect('今晚给孩子讲哭泣的骆驼的故事').label).toBe('wellbeing');
    const excluded = custom.detect('今晚给孩子讲哭泣的骆驼的故事');
    expect(excluded.label).toBe('none');
    expect(excluded.reasons).toContain('排除:哭泣的骆驼');
  });
});

describe('worry detector: plain explanations (issue 19)', () => {
  const detector = createDetector();
  const facts = (text: string) => {
    const d = detector.detect(text);
    return factsOf(d.reasons, d.label);
  };

  it('names what the cues say, for the label decided, without codes', () => {
    const d = detector.detect('补完课我在门口等了半个小时，没见他出来，电话手表也关机了');
    expect(d.label).toBe('safety');
    expect(factsOf(d.reasons, d.label)).toEqual(['下课后没见到孩子', '联系不上孩子']);
    expect(facts('说好的周报呢？一个月了')).toEqual(['对服务态度、质量或承诺不满']);
  });

  it('leaves out negated cues and cues of other labels, and explains nothing for none', () => {
    expect(facts('孩子没有被欺负，就是最近不想上学')).toEqual(['孩子不想上学、情绪低落或孤单']);
    expect(facts('收到，谢谢老师')).toEqual([]);
  });
});
