/**
 * The worry detector's domain lexicon, written for classbot (no third-party sentiment lexicon:
 * the research ones forbid redistribution). Terms are Simplified Chinese, lower-case ASCII,
 * after normalisation (see normalise.ts: full-width ！？，become !?, and Traditional input is
 * converted before matching, so write each term once, in Simplified).
 *
 * Format: groups of terms sharing a kind, a label and a weight, separated by whitespace (`_` inside
 * a term is a space, for English phrases such as no_one_replied). A term is a plain string, or a
 * gapped phrase whose parts are separated by `…` and must appear in order within one clause, at
 * most `gap` characters apart (default 6): 「说好的…呢」 matches 「说好的周报呢」. Braces list
 * alternatives, expanded at load time: 「{同学|有人}…{推|踹}」 stands for four gapped terms.
 *
 * Kinds and what `weight` means for each:
 * - cue        evidence for `label`; weights add up, a label needs ≥ 1.0 (balanced sensitivity).
 *              `firm` cues are not softened by jokes, resolution, third-party or policy context.
 * - worry      a worry word with no topic of its own (担心, 焦虑, 怎么办): its weight goes to
 *              academic or wellbeing by the `domain` words around it, else to `label`.
 * - domain     topic words that attribute `worry` cues; no weight of their own.
 * - negator    不 / 没 / 别 …: a cue starting ≤ 4 characters later in the same clause is negated.
 * - boundary   但 / 可是 …: ends a negator's scope, and context before it (哈哈, 解决了) does
 *              not soften cues after it.
 * - scopeEnd   就 / 才 / 因为 …: ends a negator's scope only.
 * - degree     an adverb before a cue (≤ 2 characters before, same clause) multiplies it.
 * - degreeAfter  a complement after a cue (急得不行) multiplies it.
 * - urgency    adds `weight` to the leading label and raises severity once the sum reaches 0.5.
 * - distress   emoji and stickers of distress: add `weight` to the leading label (or to
 *              wellbeing alone, below the threshold by design).
 * - resolved / positive / illness / joke / thirdParty / policy / topic / homework / frame: context that softens
 *              non-firm cues; their weights add up to a strength (1.0 = full effect, see score.ts).
 * - neutral    phrases whose overlapping cues (of `label` only, when given) and negators do not
 *              count: 打卡 is not 「被…打」, 哭肿 is not an injury, 跟不上 is not 不上了 (refund).
 *              Without a label they exclude every label and the context words inside them
 *              (说是开玩笑 is a bully's excuse, not a joke), and settle the message.
 * - phrase     fixed phrases whose negation characters negate nothing (不知道, 没想到, 能不能别).
 * - ack        acknowledgement vocabulary; a message made only of these is `none` at once.
 */
import type { WorryLabel } from './types.js';

export type LexiconKind =
  | 'cue' | 'worry' | 'domain' | 'negator' | 'boundary' | 'degree' | 'degreeAfter' | 'urgency'
  | 'distress' | 'resolved' | 'positive' | 'illness' | 'joke' | 'thirdParty' | 'policy' | 'topic' | 'homework' | 'frame'
  | 'neutral' | 'phrase' | 'scopeEnd' | 'ack';

export interface LexiconGroup {
  kind: LexiconKind;
  label?: Exclude<WorryLabel, 'none'>;
  weight: number;
  firm?: boolean;
  /** Safety: a cue of the group, unsoftened, is firm evidence of present danger on its own (urgent); `firm` implies it. */
  present?: boolean;
  /** Reason tag shown instead of the label's (e.g. 反讽 for sarcasm). */
  tag?: string;
  /** frame: only counts at the very start of the message. */
  atStart?: boolean;
  /** Largest gap between the parts of a gapped term, in characters. */
  gap?: number;
  /** Gapped terms of this group may span clauses (a promise, then 结果/到现在 …). */
  crossClause?: boolean;
  /** What the group is for (documentation only). */
  note: string;
  /** What a cue of the group says, in plain Chinese for staff (「孩子放学后没回家」): the alert's explanation is made of these. */
  says?: string;
  terms: readonly string[];
}

/** Splits a whitespace-separated term list; `_` inside a term stands for a space (English phrases: no_one_replied). */
const w = (s: string): string[] => s.split(/\s+/).filter(Boolean).map((t) => t.replaceAll('_', ' '));

export const LEXICON: readonly LexiconGroup[] = [
  // ───────────────────────────── safety ─────────────────────────────
  {
    kind: 'cue', label: 'safety', weight: 3, firm: true,
    note: 'self-harm and suicidal talk, in the child\'s words or the parent\'s report; never softened',
    says: '孩子流露出轻生或伤害自己的念头',
    terms: w(`不想活 活着没意思 活着没什么意思 活着有什么意思 活着好累 活着太累 活着真累 活不下去 不想再活
      想死 去死 寻死 死了算了 死了就好 我死了 不如死了 宁愿死 想去死 自杀 轻生 自残 自伤 割腕 割手 划手腕
      伤害自己 跳楼 跳下去 从楼上跳 从窗户 从窗口跳 想消失 我消失 要是我消失 要是不在了 我不在了
      离开这个世界 离开这世界 结束生命 结束自己 安眠药 遗书 遗言 下辈子再 用小刀划 拿刀划 划自己 活着没劲`),
  },
  {
    kind: 'cue', label: 'safety', weight: 3, firm: true,
    note: 'wishing not to exist or wake up, asking how to die, farewell letters, hurting oneself in other words; never softened',
    says: '孩子流露出轻生或伤害自己的念头',
    terms: w(`不用醒来 不想醒来 不再醒来 不要醒来 别再醒来 永远不醒 一睡不醒 睡着就不醒 睡过去就好 消失就好 消失算了 从这个世界消失 从世界上消失
      没有我就好 没有我…{更好|就好|轻松|省心} 没出生就好 不该出生 不该生我 为什么要生我 生我干嘛 想死掉 死掉算了 死掉就好 死了也没人 死了会不会
      怎么死 死不疼 怎样死 怎么才能死 死是什么感觉 死了会疼 吃多少…会死 最后的信 最后一封信 告别信 交代后事
      把自己…{弄疼|弄伤|弄痛|划|割|烫|掐|撞|饿|伤|咬|打} {弄疼|弄伤|弄痛|惩罚}自己 {用|拿}{刀|小刀|刀片|美工刀|圆规|剪刀|笔尖|针}…{划|割|扎|戳|刺}{自己|手|胳膊|手腕|手臂|腿}
      活着…{没意义|有什么意义|有啥意思|有啥用|为了什么|干嘛} 人生…{没意义|没有意义} 活着干嘛 活着干什么 不想再活 不想活下去 死了就解脱
      要跳楼 说要跳 跳河 跳江 割脉 想自杀 kill_{himself|herself|myself} {want|wants|wanna}_to_die suicide suicidal self-harm self_harm {hurt|hurting|cut|cutting}_{himself|herself|myself} end_it_all
      活着就是受罪 活着…受罪 你们要好好的 你们好好的 少一个我 少我一个 没有我也没关系 我不在也没关系 多我一个不多 我该死 不配活 不想{再|}{当|做}{你们|你}的{孩子|女儿|儿子} 多余的人 我是多余 是多余的 没人需要我 没有人需要我 不该存在 写满了…{死|废物|讨厌自己|恨自己|我不配}
      {手臂|手腕|胳膊|腿|手背|大腿|小臂}上…{刻|划|割}
      永远睡着 一直睡着 永远睡下去 一直睡下去 再也不醒 不痛苦地离开 永远离开 离开你们 去另一个世界 到另一个世界 去那边找 去天上找 去陪{外公|外婆|爷爷|奶奶|姥姥|姥爷}
      上吊 吊死 吊着的{小人|人} 画…吊 wants_to_disappear want_to_disappear disappear_forever`),
  },
  {
    kind: 'cue', label: 'safety', weight: 3, firm: true,
    note: 'sexual abuse, grooming and exploitation; never softened',
    says: '孩子可能受到性侵害或诱骗',
    terms: w(`猥亵 性侵 性骚扰 摸她 摸他 摸我 乱摸 动手动脚 掀…裙子 脱衣服 把衣服脱 裸照 私密照 隐私部位
      偷拍 拍{她|他}的身体 拍{裸|私密|隐私} 拍自己的照片 让他拍 让她拍 不让告诉爸妈 不让告诉家长 不许告诉爸妈 别告诉爸妈
      色情 恶心的图片 黄色图片 摸{了|}{屁股|胸|下面|私处|大腿|裤裆} 单独留她 单独留他 亲她 亲他 约…见面`),
  },
  {
    kind: 'cue', label: 'safety', weight: 3,
    note: 'violence and bullying against the child',
    says: '孩子被欺负或受到暴力',
    terms: w(`欺负 霸凌 校园暴力 被打 被人打 被揍 打他 打她 揍他 揍她 要揍 打我家 打我儿子 打我女儿 打孩子 打娃 打小孩 动手打
      被踢 踢他 踢她 推倒 推下 被推 被掐 掐他 掐她 掐的 被咬 咬他 咬她 被扎 扎他 扎她 被扇 扇耳光 打耳光
      围殴 围起来打 打伤 打出血 按在地上 勒索 抢钱 敲诈 威胁 恐吓 不准说出去 不准告诉 不许告诉 不让告诉
      不准说 告状就打 就打他 就打她 扯头发 拽头发 吐口水 烟头 烫他 烫她 带刀 捅他 捅她 弄死 打死你
      被…打 被…揍 被…踢 被…推 被…掐 被…欺负 被…扎 被…扇 被…威胁 被…勒索 被…围 被…堵 被…抢
      被…锁 被…关 被…泼 被…撕 被…划破 被…扯 被…戳 被…烫 被…踹 把他…打 把她…打 拿…扎 拿…戳
      往…身上泼 往…身上倒 往他…里 往她…里 从…推下 堵着 堵他 堵她 堵我 拦着 要零花钱 抢走 搜身 踹了
      锁在 关在 关了整整 泼冷水 扔厕所 扔进厕所 扔到厕所 扔垃圾桶 扔进垃圾桶 扔到垃圾桶 划破 扯破
      起外号 取外号 起绰号 丑照 p图 p过 孤立 排挤 嘲笑 都在笑他 都在笑她 笑话他 笑话她 骂她又 骂他又 叫她去 叫他去
      保护费 人贩子 跟了她 跟了他 跟踪 尾随 一直跟着 冒充 家暴 虐待 体罚 不给饭吃 喝醉了就打 被爸爸打 被妈妈打 被家里打`),
  },
  {
    kind: 'cue', label: 'safety', weight: 3,
    note: 'a passive with an agent (被人扔了, 被同学拧的), persistent targeting, extortion, threats, online bullying, violence at home',
    says: '孩子被人欺负、威胁或伤害',
    terms: w(`被{人|同学|男生|女生|几个|高年级|他们|别人|大孩子|班上|隔壁班|初中生|同桌|后桌|前桌|室友|舍友|坏孩子}…{扔|藏|撕|踩|剪|弄坏|倒掉|扔掉|藏起来|抢|拿走|顶|拧|揪|掐|抓伤|抓破|挠|咬|绊|勒|绑|捆|撞|砸|烫|泼|推|打|踹|踢|揍|扇|骂|笑话|嘲笑|欺负|堵|拦|关|锁|逼|威胁|造谣|孤立|排挤|起哄|捉弄|戏弄|羞辱|侮辱}
      {天天|每天|总|老|经常|一直|总是|老是}{骂|笑话|嘲笑|欺负|打|推|捉弄|针对|戏弄}{他|她|我家|孩子|我儿子|我女儿}
      {不给|不交|不听|敢告诉|告诉老师|说出去}…就{打|揍|踢|收拾} 不给就打 不然就打 不然…{揍|打死|弄死|收拾}
      {拦|堵|截|扣}{他|她|住|着|下}…{要钱|要东西|要零花钱|搜|抢} 放学别走 放学等着
      p成 把…照片…{发到|发群|发网上|传到|转发|挂} 挂到网上 发到网上 挂在群里 在群里{骂|笑话|嘲笑|羞辱|辱骂} 群里…{骂|嘲笑|笑话|辱骂}{他|她} 网暴 网络暴力 人肉 开盒 造谣 传谣
      {继父|后爸|后妈|继母|爸爸|妈妈|他爸|她爸|他妈|她妈|爷爷|奶奶|家里人|舅舅|叔叔|大人|教练}打的 下跪 钻裤裆 逼…{舔|跪|钻}
      乌青 瘀血 淤血 血痕 血印 {裤子|衣服}…{扒|脱|拉下} 扒{她|他|了|掉|下|}{的|}{裤子|衣服|裙子} 当众{扒|脱} 又动手了 又打人 打人了 躲在…不敢出来
      {叫|让|要}{她|他|孩子}{不要|别|不能}告诉 不用告诉{家长|爸妈|爸爸|妈妈|我们|家里|大人} 不要告诉我们 单独去{他家|他那|她家|办公室|宿舍} 单独…{他家|办公室|房间|宿舍}
      {选|投票}…最{丑|胖|笨|讨厌|恶心} 帖子…{骂|嘲笑|辱骂} 专门骂 {地址|住址|电话}…{发出来|公开|挂出来|发到网上} {零花钱|钱|压岁钱|饭卡|生活费|手机|东西}{都|全|}{交出来|掏出来|拿出来给} 找{她|他|我儿子|我女儿|孩子}算账 要来找{她|他} 扒{他|她}的{衣服|裤子} 掐痕 勒痕 抓痕 鞋印 指印 {都|}管{她|他|我女儿|我儿子|孩子}叫 骑在{他|她}{背上|身上|头上} 在{他|她|}{脸上|身上|手上|背上}{画|写|涂}
      {夏天|大热天|大夏天|天这么热}…{穿长袖|长袖} 不让…碰{她|他}的{胳膊|手臂|手腕|手} 人不知道在哪 不知道人在哪 不知道去哪了 星探 拍写真 误喝 误服 洗胃
      吞硬币 吞电池 吞磁铁 差点{被埋|淹死|被淹|掉下去|摔下去|被砸|被车撞|烧着|点着|窒息|噎死|被拐|被带走} 被埋 罚…{俯卧撑|蹲起|深蹲|跑圈|蛙跳|跪}
      胳膊抬不起来 抬不起来 往…床上{泼|倒} 学校说…{走光了|都走了|没人了} 烧纸玩 玩打火机 touching_{my|her|him} 走散 广播找 {跟|向}{每个人|大家|家里人|所有人|家里每个人}{道谢|道别|告别|说再见} 硫酸 盐酸 腐蚀 {烧|烫}掉…皮 掉一块皮
      社会上的人 混社会 身上有酒味 有酒味 露下体 暴露狂 恐吓信息 发恐吓 骂{他|她}…{下流|难听} 配的字…{下流|难听|恶心} 下流 {就|}让{我|你|他|她}好看 给{你|他|她}好看 告诉老师就 再告诉…就 扔{进|到|}水沟 把{我|他|她}的{东西|书包|书|文具|鞋|作业|衣服}…{扔|藏|撕|踩|剪}
      全是划的 都是划的 {别|不要|不许}带手机 教{他|她}{抽烟|喝酒} 让{他|她}带钱 {被|让}老师…{捂|踹|推|罚跪|绑|关|掐|拧|打} 捂住{嘴|他的嘴|她的嘴} 捂嘴
      一碰就疼 碰一下就疼 一按就疼 一摸就疼 撞{门框|墙|柱子|栏杆|门}上 头上的包 头上起了个包 头上{肿|鼓}了个包 说胡话 眼睛发直 神志不清 意识不清 叫不醒
      {发糖|给糖|送糖}…{小孩|孩子|小朋友} 来路不明 让{他|她}…带东西 black_eye 说{她|他}{爸爸|妈妈|爸妈|家里}{出事|出车祸|住院|生病|出事了} 让{她|他}跟{他|她|他们}{走|去}
      不用找{他|她|我} 别找{他|她|我} 不要找{我|他|她} 用{她|他|我家孩子|孩子}的名字…{注册|发|开|冒充} {晚上|半夜|夜里}…进{她|他}{的|}房间 {亲戚|表哥|表叔|堂哥|叔叔|舅舅|姑父|姨父|继父|后爸|邻居|大人|男的}…进{她|他}{的|}房间
      {药|药片|药丸|安眠药}…{藏在|藏起来|攒起来|偷偷攒|囤} 拍光脚 比谁敢 铁轨 火车道 高压线 变电箱 冰面上
      {鱼刺|骨头|果冻|硬币|糖果|东西}…卡{住|在} 卡在喉咙 卡喉咙 噎住 噎着 燎到 燎伤 扎破 {放|扔|倒}{图钉|钉子|虫子|死老鼠|死虫子}
      {身份证|银行卡|支付密码|验证码|付款码}…{拍给|发给|告诉} 带{他|她}赚钱 吃{洗衣球|洗衣珠|洗衣凝珠|干燥剂|电池|磁铁} 别打我 不要打我 别打了 不要打了 别欺负我 不要欺负我 别过来
      被{车|电动车|摩托车|汽车|自行车|电瓶车|三轮车|货车|小车}{撞|刮|碰|蹭|轧|带倒|刮倒|撞倒} 刮倒 一大块皮 掉了一块皮 擦掉一块皮
      {换衣服|上厕所|洗澡|更衣}…{偷看|偷拍|拍照|拍视频|录像|录视频} {偷看|偷拍}{她|他|女生|女孩|孩子|我女儿|我儿子} 送到…{没来|没进|没到} {同学家|同学家长|他家|她家|学校|老师|司机|保安|门卫|班主任|补习班|托管}{也|都|}{说|讲}{没来|没去|没到|没见|不在|没看到|没看见|没见到} 没坐上校车 没上校车 {不认识的|陌生的}{人|男的|女的|男人|女人|叔叔|阿姨}
      就把…{照片|视频|聊天记录}…{发给|发到|传到|发出去} {用|拿}{膝盖|拳头|手肘|胳膊肘|棍子|凳子|椅子|板凳|石头|砖头|扫把|拖把|尺子|铅笔|圆规|书}…{顶|踢|打|砸|撞|捅|戳|扎|抽}
      弹簧刀 管制刀具 匕首 甩棍 电击棒 带…{刀|刀具|匕首|棍子} 引诱 诱骗 拐骗 骗…上车 哄…上车 {大哥哥|大姐姐|叔叔|阿姨|陌生人|男的|女的|老头|大爷}…给{她|他}…{糖|零食|玩具|钱|吃的}
      被…摸 休克 抢救 送去急救 送急救 送医院 送去医院 送到医院 icu 重症监护 {如果|要是}有下辈子 说是我{的|}{同事|朋友|亲戚|同学} 问遍了 还没见人 人还没到 没看到人
      bully bullied bullying bruise {beat|hit|hits|hitting|kicked|pushed|punched|slapped}_{him|her|my} {is|went|gone}_missing {can't|can’t|cant}_find_{him|her|my} cannot_find_{him|her|my} {hasn't|hasn’t}_come_home not_home_yet {ran|run}_away_from_home
      molest abused touched_{her|him|my} threatened threatening blackmail injured bleeding`),
  },
  {
    kind: 'cue', label: 'safety', weight: 2.5,
    note: 'dangerous dares and play (choking games, heights, fire, water, swallowing things), grooming and strangers watching children',
    says: '孩子在做危险的事或被陌生人接近',
    terms: w(`塑料袋套头 套塑料袋 袋子套头 憋气游戏 憋气挑战 昏厥挑战 掐脖子游戏 窒息 晕厥 打赌…{跳|爬|喝|吃|吞|憋|翻|闯} 危险挑战 危险动作
      爬到窗台 站到窗台 站在窗台 爬上窗台 翻窗 翻阳台 翻栏杆 爬楼顶 上天台 站在楼顶 爬到楼顶 爬上屋顶 扒车 扒火车 下河 野泳 去河里 去水库 水库游泳 玩火 放火 着火 烧着了 触电 插座里 摸电线
      误吞 误食 {喝|吃|吞}了…{酒精|消毒水|洗衣液|农药|洗衣凝珠|干燥剂|电池|磁铁|硬币|老鼠药|杀虫剂}
      {我们|他们|你们|咱们}{俩|两个}的秘密 不要告诉{别人|爸妈|爸爸|妈妈|老师|家里|大人} 不能告诉{别人|爸妈|爸爸|妈妈|老师|家里|大人} 别告诉{别人|爸爸|妈妈|老师|家里|大人}
      坐{在|到}…{腿上|怀里|大腿上} {抱|搂}{在|到}…{腿上|怀里}
      {网友|网上认识的|游戏里认识的|网上的人|游戏里的人|群里的人}…{见面|约|出来|照片|视频|地址|住哪|学校|私聊|知道}
      知道…{几点放学|住哪|家住哪|住哪个小区|在哪个学校|在哪上学|家在哪}
      {让|叫|约|要}{他|她|孩子|我家孩子}…{见面|出来玩|去找他|去他家|上车|跟他走}
      盯着{女生|孩子|小孩|学生|我们班|女孩|小姑娘|小朋友} 对着{女生|孩子|小孩|学生|女孩|小朋友}拍`),
  },
  {
    kind: 'cue', label: 'safety', weight: 0.8,
    note: 'weaker signs of bullying or danger that need company to reach the threshold',
    says: '有受欺负或遇到危险的迹象',
    terms: w(`骂他 骂她 一直骂 有人骂 不敢告诉 不敢说 不敢上学 不敢去学校 不敢喝水 不敢开电脑 吓得 吓坏了
      很害怕 真的很害怕 不舒服 问什么都不说 问他也不说实话 说是自己摔的 不像摔的 衣服都是脏的 书包被
      有人私聊 私信我家 网友 陌生人 陌生叔叔 陌生阿姨 跟着走 跟他走 跟她走 糖 刀 捅 拐 男的跟 手都在抖 我现在很慌
      接孩子走 要带走 带走孩子 对不起爸爸妈妈 对不起爸妈 异常
      要钱 问{他|她}要钱 跟{他|她}要钱 拿手机{拍|录} 救命 去他家 去她家 后背发凉 心里发毛 毛骨悚然 酒精 比划 急救 发给{你|他|她|}全班 给我等着 等着瞧 走着瞧 放学见 吞了 吞下 危险 面包车 一直盯着 老是盯着 校门口…{拍照|徘徊|转悠|蹲}
      {让|叫|要|逼|哄}{她|他|孩子|我女儿|我儿子}{发|拍|传}{照片|自拍|视频} 撑不下去 用不着了 用不上了 不需要了 不敢出来 最丑 知道{她|他}叫什么 跟…走了 网友…{寄|送|给} 光着 看着不像 不像是 怕被笑 让{他|她}当 饿了好几天 电话不接 扫码领 领玩具 填…{家庭住址|住址|父母电话} 自称是 加了{我女儿|我儿子|她|他|孩子}{的|}微信 工地 人都走光了 显示还在 scared 还没找到 没找到 死了以后 突然…平静 被…溅到 酒味 早晚要走 迟早要走 别管我 陌生号码 陌生电话 老地方 抽烟 被压 带钱 妈妈对不起 爸爸对不起 对不起妈妈 对不起爸爸 留了张字条 留下字条 写了张纸条 去外地打工 带{他们|她|他|孩子们|小孩}去玩 以为是{她|他} won't_tell_me who_did_it 不敢睡觉 给{孩子|我儿子|我女儿|他|她}拍照 喊困 一直困 嗜睡 网上认识的 游戏里认识 游戏里的人 私聊 加{他|她}好友
      {充|送|给}{他|她|孩子}…{游戏币|皮肤|点券|钻石|礼物|零食|玩具} 不肯讲 谁干的 stranger`),
  },
  {
    kind: 'cue', label: 'safety', weight: 3,
    note: 'injury',
    says: '孩子受了伤',
    terms: w(`受伤 流血 出血 流了好多血 骨折 骨裂 缝针 缝了 脑震荡 昏迷 晕倒 晕过去 抽搐 烫伤 烧伤 摔伤 扭伤
      淤青 青一块 紫一块 磕破 头破 头都磕 伤口 伤痕 划痕 伤疤 都是伤 老有伤 身上有伤 全是印子 睁不开
      救护车 急诊 出车祸 车祸 牙磕掉 磕掉 砸到头 砸到眼睛 砸到脑袋 撞到头 撞到桌角 嘴角是破的 嘴角破`),
  },
  {
    kind: 'cue', label: 'safety', weight: 0.8,
    note: 'symptoms and mishaps that are injuries only together with another sign',
    says: '孩子可能受了伤',
    terms: w(`喘不上气 呼吸困难 肿 头痛 胸口疼 看东西模糊 通红 摔下来 摔下去 摔倒 摔了 擦伤 擦破 去医院的路上 在医院 起泡 被烫 被砸 被撞`),
  },
  {
    kind: 'cue', label: 'safety', weight: 0.3,
    note: 'sickness that is an injury only with a cause (砸到头, 摔了)',
    says: '孩子身体不适',
    terms: w(`头晕 想吐 吐了 呕吐`),
  },
  {
    kind: 'cue', label: 'safety', weight: 3,
    present: true,
    note: 'missing child, named as such',
    says: '孩子找不到了',
    terms: w(`找不到孩子 孩子不见了 人不见了 就不见了 走丢 走失 失踪 离家出走 找不着孩子 孩子找不着 {娃|娃娃|小孩|儿子|女儿|孙子|孙女|外孙|外孙女|闺女}{就|突然|一下就|}不见了
      {一转头|一转身|一眨眼|一回头}…{没了|不见了|没影|就没人了}`),
  },
  {
    kind: 'cue', label: 'safety', weight: 3,
    note: 'a child not home yet, not where expected: a possible danger until a second sign comes',
    says: '孩子还没到家',
    terms: w(`还没到家 没到家 还没回家 没回家 联系不上 失联 一直联系不上
      还没回来 说他没回去 说她没回去 还没回去 都没回去 一夜没回 人去哪了 去哪了?? 看到我家 看见我家 见过我家 有没有人看到 有没有人看见 没见着人 没见到人
      {还|都|一直|到现在}{没|没有}{到校|到学校|来学校|进校门|到教室|去学校|来上学}`),
  },
  {
    kind: 'cue', label: 'safety', weight: 3,
    note: 'a missing child described by circumstance: not seen coming out, not home, not picked up, nowhere to be found',
    says: '孩子放学后没回家',
    terms: w(`{下课|放学|下课后|放学后|放学以后|下课以后|补完课|补习班下课|课后|上完课|出门|出去|离开}…{没有|没|一直没|还没|都没|还没有|一直没有}{回家|到家|回来|返家|回去}
      没有回家 没有到家 一直没回家 都没回家 还没有回家 还没有到家 {未|还未|尚未|仲未}{回家|到家|回来|返屋企|返嚟|返来|返家}
      {放学|放了学|下课|下了课|落堂|补完课}…{未返|未回|仲未返|还未返|还未回|没返} 没接到{人|孩子|娃|他|她} {人|孩子|娃}没接到 接不到{人|孩子|娃|他|她}
      {找不到|找不着|寻不到|见不到|不见}{孩子|人|娃|我家|儿子|女儿|我儿子|我女儿|孙子|孙女|外孙|外孙女} 没影了 就没影 不见人了 没了人影 人影都没
      根本没来过 不知道人去哪 人在哪都不知道
      {不|没有}{人|我们|家里}去接 not_seen since_school {didn't|didnt|did_not}_come_home {not|isn't}_at_home`),
  },
  {
    kind: 'cue', label: 'safety', weight: 2.5, gap: 16, crossClause: true,
    note: 'not seen after a class, with room for where the parent waited between',
    says: '下课后没见到孩子',
    terms: w(`没见{他|她|孩子|人|娃|我儿子|我女儿}出来 没看到{他|她|孩子|人|娃}出来 没看见{他|她|孩子|人|娃}出来
      {下课|放学|补完课|上完课|课后|接孩子|接她|接他|去接}…{没见|没看到|没看见|不见|没接到|找不到}{他|她|孩子|人|娃|我女儿|我儿子}
      {被人接走|被接走}…{没有人|没人|我们没|家里没|没有家里人}`),
  },
  {
    kind: 'cue', label: 'safety', weight: 3,
    note: 'a child lost on the way',
    says: '孩子迷路了',
    terms: w(`迷路了 迷了路 走迷路 找不到路 不认识路了 找不到回家的路 got_lost {is|was}_lost`),
  },
  {
    kind: 'cue', label: 'safety', weight: 2.5,
    note: 'the family is searching for the child or has called the police',
    says: '家人在到处找孩子、已经报警',
    terms: w(`被人接走 没回宿舍 到处找 找遍了 报警 派出所 报了警 报的警`),
  },
  {
    kind: 'cue', label: 'safety', weight: 0.8,
    note: 'a child shut in and not answering: a danger only with another sign',
    says: '孩子把自己关起来、叫也不应',
    terms: w(`{叫|喊|敲门}{也|都|他也|她也|}{不应|不开|没反应|不出声|不理} 里面…{砸碎|摔碎|砸东西|东西碎|玻璃碎}`),
  },
  {
    kind: 'cue', label: 'safety', weight: 0.8,
    note: 'the child\'s phone or watch does not answer: a sign of a missing child only with another',
    says: '联系不上孩子',
    terms: w(`{电话手表|手表|儿童手表}…{关机|没人接|不接|打不通|没人听|没回|不回|没信号|没反应}
      {他|她|孩子|娃|女儿|儿子}{的|}{电话|手机|手表}…{关机|没人接|不接|打不通|没人听|没回|不回|没信号}
      {打|拨}{他|她|孩子|娃}{的|}{电话|手机|手表}…{没人接|不接|打不通|没人听|关机}
      没去上课 没来学校 没到学校 不知道{在|去|}哪 {他|她|孩子}{不|没}在{教室|学校|补习班|托管}
      关机 打不通 电话也打不通 打电话也没人接 还没消息 一点消息都没有 天都黑了 天黑了 {phone|watch}_is_off not_answering`),
  },
  {
    kind: 'cue', label: 'safety', weight: 0.8,
    note: 'weaker signs of a missing child',
    says: '还没找到孩子',
    terms: w(`没回来 没来上课 根本没去 找不到人 找了…小时 找了…分钟 在找他 在找她 现在在找 跑出去
      没看见 没到校 没去学校 定位 就下课了 没人去接 不是我们接的 人呢`),
  },
  {
    kind: 'cue', label: 'safety', weight: 3, firm: true,
    note: 'self-harm hints phrased as conditions or drawings',
    says: '孩子流露出轻生或伤害自己的念头',
    terms: w(`{如果|要是|假如|万一}…死了 死了是不是 死了就不用 死了你们 活着…累 活得…累 活着…没意思 活得…没意思 活够了 一了百了
      想不开 寻短见 往下跳 想跳楼 人死了会 以后不会再见 永别 {说|骂}{他|她}是{垃圾|猪|废物|傻子|笨蛋|怪物} 跟着骂 都在骂 一起骂 宁可…死 宁愿…死 不会再麻烦你们 以后不会再麻烦 坐{他|在他}腿上 被车撞 没有{我|他|她}…{更好|过得好|轻松|开心} 会过得更好 吃了半瓶 吃了一整瓶 吞了…药 吃了…{整瓶|一把}
      {亲戚|表哥|表叔|堂哥|叔叔|舅舅|姑父|姨父|继父|后爸|邻居|大人|男的|老头|大爷|教练|司机}…{抱|摸|亲|脱}{我女儿|我儿子|她|他|孩子} 是个负担 我是负担 我是个累赘 没有我你们 现在就结束 想从…跳 {打|扇|掐|咬|伤|划|割}自己 用头撞 撞墙 不想待在这个世界 去天堂找`),
  },
  {
    kind: 'cue', label: 'safety', weight: 2.5,
    note: 'who did what to the child: an agent and a violent act in one clause',
    says: '有人对孩子动手或威胁孩子',
    terms: w(`{同学|男生|女生|有人|高年级|大孩子|几个人|几个孩子|他们|那个男孩|那个女孩|男孩|女孩|同桌|后桌|前桌|室友|舍友|学长|初中生|小混混|坏孩子|大人|班上的|隔壁班的|别的孩子|一个孩子}…{推|踹|踢|揍|掐|咬|扎|戳|绊|扇|拽|扯|逼|泼|勒|捂|堵|勒索|威胁|恐吓|欺负|霸凌|打骂|辱骂|吐口水|打了|打他|打她|动手打}
      {推|踹|踢|揍|掐|咬|扎|戳|绊|扇|拽|逼|吓唬|威胁|欺负|推搡|勒}{他|她|我家|孩子|我儿子|我女儿|我闺女|我孙子|我孙女|我外孙|娃}
      把{他|她|孩子|我家孩子|我儿子|我女儿|我闺女}…{推|踢|踹|按|锁|关进|关在|绊|摔|拖进|堵在|压在|围在}
      按进 按在 绊倒 磕断 青紫 青青紫紫 抓伤 勒脖子 掐脖子 打手心 揪耳朵 拧耳朵 扇巴掌 一巴掌 踢了一脚 踹了一脚 罚跑 骂他是 骂她是
      删聊天记录 删掉聊天 不让…告诉 叫她宝贝 叫他宝贝 拉她的手 要她的照片 要他的照片
      把钱交出来 {要|让|逼}{他|她}…{交钱|给钱|拿钱|把钱} 不然…来找{他|她} {要|说要}杀了{他|她} 杀了{他|她} 刀片 藏…刀
      {裙子|衣服|裤子|书包|头发|作业本|课本}…{剪破|剪烂|撕破|扯破|被剪|剪了|烧了} 被剪破 老师…{拧|掐|打了|踢|扇|揪|体罚}
      拧{她|他}的 挨打 又挨打 喝了酒就打 喝醉就打 说是{爸爸|妈妈|家长}的{朋友|同事} 要带{他|她}去
      {叔叔|阿姨|男的|女的|陌生人|大哥哥|大姐姐|男人|女人}…{等他|等她|带他|带她|叫他|叫她|拍照|搭讪|拉他|拉她}
      车跟着{她|他} 总有…跟着 奇怪的视频 看奇怪的 给{他|她}看…视频 被{车|电动车|摩托车|汽车|自行车|电瓶车}撞 撞了…跑了
      {手|手指|脚}被…夹 还没从…回来 陌生的{阿姨|叔叔|人|男人|女人} 问{她|他}叫什么 烧了{他|她}的 烧…头发
      校车…落下 被落在车上 一个人在车上 钻到{她|他}被子 钻进{她|他}的被子 巴掌印 老师打的 掉进水里 落水 溺水 汇报自己在哪 不然就把…发出去 不然就把…发到
      在没人的时候 没人的时候…{抱|摸|亲} 撞倒 故意撞 血迹 搭讪 陌生男人 陌生女人 陌生男子 陌生人…{拉|带|抱|跟} 见网友 画…{墓碑|棺材|坟墓|血} 从…掉下来 上吐下泻 虚脱 食物中毒 不让{他|她}睡觉 把{他|她}的…{扔|撕|藏|剪|踩|泼|弄坏|砸|烧}
      露骨 约她出去 单独留下来 不让…跟家里 不让{他|她}说出去 不让{他|她}跟…说 扒裤子 扒衣服 拍了视频发 被狗咬 被狗…咬 牙印 跟了一路 问…住哪 抽他 抽她
      拿…抽 脱臼 划伤 割伤 指甲印 看刀 不给钱就 就捅 推进 没出校门 没进校门 没在学校 不见人影 从…摔下来 摔下楼`),
  },
  {
    kind: 'cue', label: 'safety', weight: 2.5, gap: 10,
    note: 'a body part and a harm to it, with room for a description between (手腕上有好几道细细的口子)',
    says: '孩子身上有伤',
    terms: w(`{头|脸|眼睛|眼角|眼眶|鼻子|鼻梁|嘴|嘴角|嘴唇|牙|门牙|手|手指|指甲|胳膊|手臂|小臂|手背|腿|大腿|膝盖|后背|背上|身上|手腕|脚|脚踝|额头|脖子|耳朵|后脑勺|下巴|肚子上|肋骨|胸口|屁股|腰}{上|}…{破了|破皮|肿|青了|紫了|紫的|青的|发紫|发青|乌青|一圈紫|一块紫|一块青|流血|出血|有血|血|断了|骨折|磕|划了|抓了|口子|淤|疤|印子|红肿|裂|水泡|起泡|烫红|撞到|撞了|磕到|砸到|摔到|痕|手印|指印|伤|烧|溅}`),
  },
  {
    kind: 'cue', label: 'safety', weight: 0.8,
    note: 'weaker acts by others, and signs of hiding what happened',
    says: '有受欺负的迹象',
    terms: w(`{同学|男生|女生|有人|高年级|大孩子|几个人|几个孩子|他们|那个男孩|那个女孩|男孩|女孩|同桌|后桌|前桌|室友|舍友|学长|初中生|小混混|坏孩子|大人|班上的|隔壁班的|别的孩子|一个孩子}…{抓|抢|撕|扔|锁|关|按|撞|砸|围|拦|骂|嘲笑|孤立|排挤|偷|藏|笑话|起哄|拉}
      逼他 逼她 呛 贴纸条 罚站 一脚 墓碑 棺材 问是谁 不肯说 说是…抓的 说是…摔的 说是…碰的 一道一道
      约…出去 剪刀 湿透 发我儿子的照片 发我女儿的照片 发{他|她}的照片 对不起让…失望 写给我们的信 社会青年 网吧 有血 夹了 擦掉…皮 打火机 去他家玩 给孩子拍照 就下课了 家里地址 家庭住址 被人骗 警察 网上认识 跟她聊天 跟他聊天 大人…聊天 抱她 楼梯口等 身上疼 掉下来 困得 罚`),
  },
  {
    kind: 'neutral', label: 'safety', weight: 0,
    note: 'look like safety cues but are not: chores, games, idioms, crying-swollen eyes, safety lessons',
    terms: w(`打卡 打电话 打他电话 打她电话 打他的电话 打她的电话 打孩子电话 打孩子的电话 打孩子手机 打孩子手表 打娃电话 打他手机 打扰 打游戏 打字 打印 打开 打不开 打针 打扫
      打球 打篮球 打乒乓 打羽毛球 打分 打折 打勾 打钩 打扮 打算 打工 打包 打哈欠 打瞌睡 打疫苗 打车 打招呼
      打听 打雷 打败 打怪 打断 打喷嚏 打滚 打乱 打发 打回 打草稿 打基础 打卡 打了个 打成一片 打架子鼓 打印机
      推荐 推销 推迟 推送 推给 推广 推后 推到下 推掉 推辞 推门 推车 推理 推倒重来 推出
      哭肿 泼冷水的话 别泼冷水 给孩子泼冷水 被表扬 被选上 被评为 被老师表扬 被夸 被录取 被选为 被叫去领奖
      被老板 被领导 被客户 被作业 被孩子气 被他气 被她气 被题 被数学 想死你 想死我了 笑死 讲笑话 看笑话 说笑话 冷笑话 个笑话 笑话书 笑话大全
      关在家里写 锁屏 密码锁 家长锁 关在房间 关房间 把自己关 把自己锁 自己关在 自己锁在 糖果 糖葫芦 刀削面 小刀 削笔刀
      被蚊子 被老师叫 被叫到 被抽到 被点名 被提问 被安排 被分到 被拉进 被踢出群 踢球 踢足球 踢毽子
      被狗追 被狗吓 伤脑筋 伤心 伤感 受伤的心 拐弯 拐角 走失物品 陌生人怎么办 应对陌生人 陌生的 不舒服请假 肚子不舒服 身体不舒服
      抠破 啃破 咬破 挠破 抓破了蚊子包 不想活动 防溺水 预防溺水 不想活成 喉咙肿 扁桃体 发烧 感冒 打针了 去医院复查 医院复查 医院查了 体检 门牙掉了 换牙 掉牙 困得 困得睁不开 手都写 写得手
      同学抢着 抢着回答 抢着举手 抢答 同学关心 同学拉着 拉他一起 拉她一起 同学帮 有人帮 大人聊天 推荐 同学推荐 抓紧 同学扔
      他们打球 关灯 关门 关电脑 被…关机 锁门 撞衫 砸场 按时 按照 围巾 围着老师 逼真 手上有个包 脸上长 眼睛近视 手痒
      锁在柜子里的 关在门外的猫 起外号的事 丑照片
      糖糖 刀刀 拐拐 死机 寻死觅活 很受伤 好受伤 挺受伤 心里受伤 {猫|狗|小猫|小狗|流浪猫|流浪狗|小鸟|宠物}…被车撞 受伤的{小鸟|小猫|小狗|鸟|猫|狗|动物|蝴蝶} {小鸟|小猫|小狗|流浪猫|流浪狗}…受伤 摸头 摸摸头 摸了摸头 急救知识 急救课 抢先 推选 推举 挠痒 打的电话 打的卡 打的分 打的车 打的字 打的球 打的针 打的勾 危险品 危险物品 危险的东西 危险期 没危险 脱离危险
      {客服|前台|机构|校区|热线|你们|老师|班主任|助教|办公室}{的|}{电话|热线|手机}…{打不通|没人接|关机|不接}
      {老人|爷爷|奶奶|外公|外婆|姥姥|姥爷|大人|家里人|爸爸|妈妈|他爸|他妈|她爸|她妈|老公|老婆|我}{都|也|}{住院|在医院|生病住院}
      防{性侵|猥亵|性骚扰|欺凌|霸凌|拐|拐骗|拐卖|溺水|走失|诈骗|骗|踩踏} 反{欺凌|霸凌|性侵}`),
  },

  {
    kind: 'neutral', label: 'safety', weight: 0, gap: 8, crossClause: true,
    note: 'bleeding from a nervous habit (咬指甲，都咬出血了) is stress, not an injury',
    terms: w(`{咬|啃|抠|撕}{指甲|倒刺|死皮|嘴皮}…{出血|流血}`),
  },

  {
    kind: 'cue', label: 'safety', weight: 2.5, gap: 10,
    note: 'a stranger waiting for, following or approaching the child, with room for when and where between',
    says: '有陌生人盯上孩子',
    terms: w(`{陌生|不认识的|那个|有个|一个}{人|男人|女人|叔叔|阿姨|男的|女的}…{等她|等他|跟着|跟踪|叫她|叫他|问她|问他|拉她|拉他|带她|带他|给她|给他|知道她|知道他|盯着|抱着她|抱着他|抱她|抱他|搂着|拉着她|拉着他|说是她|说是他}`),
  },
  {
    kind: 'cue', label: 'safety', weight: 2.5, gap: 10, crossClause: true,
    note: 'farewell and preparation signs across clauses: giving treasured things away, a knotted rope, death as relief, words left to read later',
    says: '孩子有告别或轻生的迹象',
    terms: w(`{分给|送给|都送|送人|都给}…{用不着|用不上|不需要了} 绳子…{打了结|打结|绳套} 死了…{就不会|不会|不用|就不用}{难过|痛苦|累|伤心|难受}
      想说的话…{写在|写好|都写} 让我以后再看`),
  },

  // ───────────────────────────── refund ─────────────────────────────
  {
    kind: 'cue', label: 'refund', weight: 3,
    note: 'asking for money back or to leave the course',
    says: '想退费或不再续课',
    terms: w(`退费 退款 退钱 退课 退班 退学费 退掉 退了吧 退一部分 按比例退 全额退 无理由退 能退吗 能不能退
      可以退吗 怎么退 想退 要退 也想退 申请退 办理退 办退 退的话 退多少 退回来 退还剩 不如退 还不如退 退退退
      把课退 把钱退 把…退了 把…退掉 把…退费 把…退款 退成功 钱退了 退一下 帮忙退 帮我退 给我退 帮我们退 退还…费 考虑退 费用退 课时退 退出这个班 退出班级 换机构 换个机构 换一家机构 换家机构 转机构
      不续 不打算续 不想续 没必要续 不准备续 不再续 不续费 不续报 不报了 不再报 不考虑续 续…算了 续…不考虑
      不打算报 不准备报 不想报了 不再报名 不renew 不打算继续 不准备继续 不再继续 退全款 不继续报 剩下的课不上 剩下的课时 剩余课时 余下课时 剩下的费用 剩余费用 剩下的钱 没上完的课 没上的课
      退给{我们|我} 折现 能退就退 {不能|不行|不然}…就退 的话就退 止损 决定…不学 auto-renewal {won't|won’t}_continue 退到原卡 退回原卡 原路退回 退到卡上 退到账户 后面的费用 先不上了 就先不上了 续{报|费}…{缓一缓|先不|暂时不|再说} 不在{这边|这|这里|你们这}报 withdraw_{my|him|her} fees_back remaining_fees 不想继续交 不{想|打算|准备}{再|继续|}交了 剩下的课…{怎么算|怎么处理|算钱|退} {转去|转到}…{那家|别家|机构|另一家} 续…不参加 {已经交的|交的|剩下的}钱…{怎么处理|怎么算|怎么办} {我们|这边}就到…为止 全退 全部退 钱…退 {能|可以}…退{吗|么|不} 钱…{拿回来|要回来|退回来|还回来|返还} 不会续 不会再续 不会再报 不会报了 不再报了 估计…不续 应该不续 不会再来了
      refund money_back cancel_the_{course|class|lessons} withdraw_from quit_the_{course|class|lessons} not_renew {won't|won’t}_renew not_renewing switch_to_another`),
  },
  {
    kind: 'cue', label: 'refund', weight: 3, firm: true,
    note: 'first-person intent that survives hearsay around it (隔壁班退了，我们也想退)',
    says: '想退费',
    terms: w(`我也想退 我们也想退 我也要退 我们也要退 我们要退 我要退 我们想退 我想退 我们决定退 我们要求退`),
  },
  {
    kind: 'cue', label: 'refund', weight: 0.8,
    note: 'quitting or switching, which needs another sign (money, remaining lessons, decision)',
    says: '不想继续上课',
    terms: w(`不上了 不学了 不想学了 不打算学 不想上了 不打算上 先停 停一停 先停了 就先停 去线下 线下机构 别家 另一家 报了其他
      转给别的 转给…孩子 转让 手续费 扣多少 扣…% 早知道就不买 就不买了 白花钱 退学 退出
      到账 退回 决定不上 就上到 上完就停 上完结束 上完就结束 帮我们算一下`),
  },
  {
    kind: 'cue', label: 'refund', weight: 1.5,
    note: 'money back mentioned in passing',
    says: '提到退费',
    terms: w(`再…就退 再…我们就退 可以退 退了 随时可退 随时退 退不了 不给退 退还 不来了 就不来了 不上这个`),
  },

  // ───────────────────────────── complaint ─────────────────────────────
  {
    kind: 'cue', label: 'complaint', weight: 2.5,
    note: 'no reply, no follow-through, being passed around',
    says: '没人回复、没人处理',
    terms: w(`没人回 没人理 没人里 没人管 没人接 没人联系 没人通知 没人回答 已读不回 不回消息 石沉大海 没下文 没个说法
      给个说法 没动静 都不回 也不回 不打算回 爱答不理 推来推去 踢皮球 找不到负责 从来没回 从来没人 一直没人
      到现在都没 现在也没人 没有然后 就没有然后 然后就没 就消失了 消失了两天 等你们回复 等到孩子都 等得花都谢了
      是下班了吗 没人在吗 有人管吗 连个影子 没见到人影 没人跟进 没人处理 不了了之`),
  },
  {
    kind: 'cue', label: 'complaint', weight: 3,
    note: 'perfunctory service, attitude, escalation, broken promises',
    says: '对服务态度、质量或承诺不满',
    terms: w(`敷衍 糊弄 走过场 复制粘贴 一句话打发 套话 官腔 什么态度 态度差 态度非常差 态度很差 态度恶劣 态度不好
      {助教|老师|客服|工作人员|你们}…不耐烦 不负责 不专业 不靠谱 没备课 虚假宣传 忽悠 骗钱 骗子 坑人 投诉 举报 差评 12315 曝光 消协 维权
      受够了 忍很久 忍了很久 太过分 太失望 很失望 挺失望 真失望 非常失望 不满意 非常不满 质量太差 质量真不行
      这就是你们说的 这是老师该 这是…该说的话吗 钱花哪 交了钱就 就会说 推销 打广告 一改再改 临时改 又临时
      又换老师 换了三个老师 换了两次老师 换了…个老师 又迟到 说孩子笨 跟没批一样 说好的…呢 不是说…吗`),
  },
  {
    kind: 'cue', label: 'complaint', weight: 3, gap: 16, crossClause: true,
    note: 'broken promises spanning clauses: 说好…, 结果/到现在…',
    says: '说好的事没有做到',
    terms: w(`说好…结果 说好…到现在 说好…现在 说好…一次都 说好…就…过一次 说过会…现在 说过…到现在 答应…结果 答应…到现在
      承诺…结果 承诺…到现在 当初说…现在 上次说…结果 上次说…后来就没 说会…到现在 说会…也没 每次都说…到现在 每次都说…还是
      {宣传|报名|买课|销售|顾问|招生|课程顾问|签约}{时|时候|的时候|那会儿|前|之前}{说|承诺|讲|保证}…{结果|到现在|现在|一次都|根本|也没|都没} 说…随时…现在 说修好了…还是
      {说是|不是说|宣传说|当初说}…{结果|到现在|一份|一次都|一回都|根本没|实际上|实际|其实}
      {说|承诺|答应}…{天|工作日|周|小时}{处理|回复|解决|到账|内}…{这都|还没|现在}`),
  },
  {
    kind: 'cue', label: 'complaint', weight: 2,
    note: 'repeated faults, waiting, dissatisfaction',
    says: '问题反复出现、等了很久',
    terms: w(`又卡 卡成 又崩 还是打不开 又打不开 又看不了 又是错的 又闪退 又断 又出问题 又没上课 又改 老是卡 总是卡 一直卡
      失望 不满 过分 离谱 无语 真服了 差劲 垃圾 坑人 套路 浪费时间 浪费钱 白交 第几次 第几回 已经反映 反映过…次 反映…次
      反馈了…次 反馈过…次 提了…次 问了…遍 问了…次 发了…条 催了…次 说了多少遍 白等 干等 干坐着 等了…天 等了…周 等了…星期 等了…个月 等了…小时
      等了…分钟 等了一整天 等了半天 也没通知 没通知 临时通知 提前…才通知 都不提前 没提前说 一次都没有 永远是
      能不能别 交钱的时候 有什么用 建这个群 都做不到 连…都做不到 能不能稳定 怎么安排的 像话吗 凭什么 不守时
      讲错 判错 答案错 答案…错 念ppt 照着ppt 老师…迟到 迟到了…分钟 老师…看手机 当着全班 到底有没有人 给个回复
      显示未完成 没他名字 没她名字 没有他的名字 没记录 没算上 记录丢 才批 批改慢 批得慢 晚…才批 就…过一次 才…过一次
      连个…都不 连个…都没 连句…都没 一句解释都没 连句抱歉 根本没看 没看我问 模板生成 是模板 精品课?
      别的班都{发|批|有|上|出|讲|收到} {一份|一次|一条|一个字|一回|一本|一件|一节|一套}{都|也|}{没|没有}{见|见着|见到|收到|发|发过|有过|来过|回过} 忙音 占线 白跑一趟 白请假 白跑了
      临时{调课|改课|取消|换课|停课|改时间|通知} 这样{合适吗|对吗|妥吗}
      {批改|批|评语}…{就一个|只有一个|就写了个|就打了个|只写了个|只打了个|就一个字} 不是这么说的 不是这样说的 说的不是这样 {跟|和|与}{宣传|说的|广告|介绍}{的|}不{一样|符|相符} 合理吗 这合理吗
      {能|能不能|可以|可不可以|申请|要求}换{个|一个|}老师 老师{明显|太|很|有点|}偏心 {明显|太}偏心 从来不叫 反反复复 反复让 又说…不对 到底听谁的 听谁的 {三个|几个|两个}答案 上完就收费 偷偷收费 乱收费 也没提前{讲|说|通知} 杂音太大 耳朵受不了 被刷没了 刷没了 之前根本没说 根本没说过 没说过要 加钱 给个准话 给句准话 没好用过 从来就没 {课|下课}拖到 的课拖到 拖课 没写评语 没有评语 没评语 就一个分数 只有一个分数 老师…忙别的 老师…自己去 让孩子们自己{看|做|学|玩} 不尊重 拿{他|她|孩子|我家孩子}开玩笑 没有任何消息 没有任何回复 没任何消息 一点消息都没有 又说没收到 说没收到 说话注意点 注意说话 注意言辞 吵得…睡不着 吵死了 {半夜|深夜|大半夜|十一点|十二点}{还|}发消息 明明交了 明明付了 不问清楚 不分青红皂白 冤枉 推…广告 推送广告 广告太多 改了…次 安排全乱了 计划全乱了 全打乱了 又没消息 没有消息 还没修好 没修好 态度…差 花得值吗 值这个价吗 从头讲 又要从头 一个回复都 木有人 老师…{用手机|玩手机|看讯息|看消息|回消息|刷手机} 你们考虑过 考虑过…感受 有没有考虑过 布置{这么多|太多|那么多} 白写了 白做了 让…重写 三番五次 三番两次 口音太重 口音重 {收费|收钱|交钱|缴费}的时候 出了问题…{不说话|没人|都不|找不到|推} 双叒叕
      {每次|又|还}{都要|要|得}重新 {家长|我们}也{是|}要{上班|工作} 家长也很忙 说{我家孩子|孩子|我儿子|我女儿}{脑子|笨|蠢|傻|没救}
      {给|}{我|我们}{个|一个}说法 去教育局 找教育局 告到教育局 当猴耍 耍{我们|人|我} 当傻子 {问|催|说|提醒|找}{了|}{三|四|五|n}{次|遍|回}
      {3rd|third|4th|fourth|5th|fifth}_time {again|still}_not_working
      disappointed waste_of_money waste_of_time`),
  },
  {
    kind: 'cue', label: 'complaint', weight: 2.5,
    note: 'canned answers, unsolved problems, broken word, poor teaching',
    says: '回复敷衍、问题没解决',
    terms: w(`标准回复 机器人回复 官方回复 不解决问题 根本不解决 不给解决 解决不了问题 爱理不理 不理不睬 半天不回 半天没人 才有人回
      回复慢 回得慢 回得太慢 回复太慢 太冷淡 冷冰冰 算成迟交 判成 耽误孩子 讲不清楚 讲得不清楚 讲课…不清楚 就这服务 就这水平
      有什么意义 都没做到 没兑现 言而无信 说话不算话 不算数 什么破 破系统 破app 破软件 太烂 坑爹 搞什么 怎么搞的 不上心
      不用心 批改…不认真 换得…勤 老换老师 频繁换 换来换去 讲自己的事 正课就讲了 一直在闲聊 你们能不能 你们到底 你们怎么
      缺页 提交失败 显示失败 耽误了 爱答不答 爱搭不理 说是我们…的问题 推说是 花钱是 很难接受 难以接受 不能接受 无法接受
      批改…马虎 完全不符 随便写 推卸责任 付了钱 寄了…还没到 寄了…没到 老师也不管 也没人管 念稿子 照本宣科 改来改去 没法安排
      接受不了 心寒 寒心 认真点 能不能认真 从来不主动 浪费…时间 说{取消|改|换|停}就{取消|改|换|停} 当众…批评 点名批评
      公开…成绩 公开孩子 你们的老师怎么 摄像头…关 延迟…严重 {跟老师|反映了|反馈了|提了}…也不{调整|改|管|处理} 永远打不通 客服…打不通 没人更正 什么都没学到 突然涨价 讲不明白 还进不去 拖堂
      说了无数次 说过无数次 画面模糊 这怎么学 这还怎么学 弄丢 还说是孩子 每次理由都不一样 理由都不一样 说话很难听 说话难听 找不回来 一直在发广告 这合适吗 对我们有意见 有意见 隔天回 隔天才回 收到的只有 说有…只有 完全对不上 讲别的班 有人在跟进吗 有人跟进吗 还是没改 说过…遍 说了…遍 说过好几次 说了好几次 等了…也没 说了会…也没 说了会…没人 说了…也没人 发了又撤回 不负责 太不负责
      到底找谁 找谁都没用 不知道该找谁 {一看就是|明显是|全是|都是}{复制|模板|套话|群发|机器人|自动回复} 名字都{写错|搞错|弄错|叫错}
      不提前{通知|说|告诉|讲} {天|小时|周|礼拜|个月|星期}才{回|回复|有人回|有回音|批|批改|发|处理|解决} 当着…{的面|面}…{批评|骂|说|讽刺|嘲笑|羞辱|吼|训}
      这样{说话|说孩子|讲话|对孩子|对待孩子}…{合适|对吗|好吗|妥}
      {no_one|nobody}_{replied|answered|replies|answers} no_reply no_response unprofessional ridiculous unacceptable complain terrible_service`),
  },
  {
    kind: 'cue', label: 'complaint', weight: 1,
    note: 'no reply from staff',
    says: '一直没有得到回复',
    terms: w(`没回 不回 没回复 不回复 没答复 未批改 未回复 未处理 还是未 一直等 没结果 还没批 没批 还没发 一直没发 什么时候能 什么时候处理 什么时候修
      难听 缺失 全没了 没法补 打了勾 不符 也不管 无聊 还没到 只写一个 怎么能 延迟 跟老师说了也 听不清 听不见 声音太小 有错误 涨价 进不去 还没出结果 冷淡 兼职 服务水平 服务态度 加载不出来 以哪个为准 改了好几遍 还没拉 我花钱 老师聊天 第…次把 最后一刻 只打个勾 闲聊 醉了 自动回复 就这? 承诺的 不负责任`),
  },
  {
    kind: 'cue', label: 'complaint', weight: 0.8,
    note: 'faults and prefaces that need a second sign',
    terms: w(`卡顿 卡住 卡了 崩了 闪退 登不进 登不上 连不上 登录不了 提交不上 交不上 提交不了 断线 掉线 黑屏 没声音 断断续续 bug 故障
      打不开 看不了 寄错 也不更正 不更正 不指出 错的地方 就一个 模板 根本没上 举手…没被 没发过言 五十个人 四十多个人
      马上处理 在处理 已反馈 理解您的心情 技术到底 还怎么上 这课还 迟到 质量 不行 服了 坑 代课 催了 反映了 应付 打发
      做不到 合适吗 不太好吧 不是来找茬 也不是不理解 说实话 说句实话 我就想问 一直显示 说好 说好的 晚两天 晚了两天
      看手机 你们 就是没 正常上 能不能正常 回音 杂音 印错 怎么回事 发错了 讲得太快 烂 乱七八糟 {didnt|didn't|doesnt|doesn't}_work not_working`),
  },
  {
    kind: 'cue', label: 'complaint', weight: 2, tag: '反讽',
    note: 'sarcasm and rhetorical jabs',
    says: '话里带着讽刺和不满',
    terms: w(`呵呵 真是好{服务|效率|态度|速度|体验|安排|机构|平台} {服务|效率|态度|速度|回复|管理|安排}{真是|可真是|可真|真}{越来越好|好|高|快|棒|到位|及时|贴心} 好服务 真行 可真行 效率真高 效率…没谁 没谁了 好一个 是吧? 就没人管了是吧
      这不是忽悠 这不是…吗 真是服了 谢谢你们啊 [微笑] [白眼] [鄙视] 🙄`),
  },
  {
    kind: 'cue', label: 'complaint', weight: 0.8, tag: '反讽',
    note: 'weaker rhetorical jabs',
    says: '话里带着不满',
    terms: w(`难道 😅 [尴尬] [汗] 谢谢你们了`),
  },

  // ───────────────────────────── wellbeing ─────────────────────────────
  {
    kind: 'cue', label: 'wellbeing', weight: 2.5,
    note: 'refusing school, withdrawal, loneliness, self-worth',
    says: '孩子不想上学、情绪低落或孤单',
    terms: w(`不想上学 不想去学校 不肯去学校 不愿意去学校 不愿去学校 不想去上学 不肯上学 不去学校 厌学 逃学
      不想上课 不愿意上课 不肯上课 不想上网课 不肯进教室 不肯进校门 不进校门 赖着不走 死活不肯 一说上学 一提上学
      说上学就 一听到上学 一听上学 不想早读 不肯开摄像头 不想被人看见 
      闷闷不乐 闷闷的 不爱说话 不说话 一句话不说 一句话都不说 话特别少 话少了 变得很沉默 很沉默 沉默 不理人 谁也不理
      把自己关 钻被窝 一个人坐 一个人吃饭 没有朋友 没朋友 没有一个好朋友 不跟她玩 不跟他玩 没人跟…玩 不合群
      孤单 孤独 自卑 最笨 自己笨 自己很笨 觉得自己没用 怎么努力都没用 不想努力 没安全感 变了个人 不对劲
      情绪低落 情绪不好 情绪很差 心情低落 笑都不笑 不笑了 不爱笑 蔫了 无精打采
      不要我们 不要他了 不要她了 不敢一个人睡 不敢关灯 做噩梦 噩梦 恶梦 哭醒 尿床 抽动 黏人
      看见我就躲 躲着我 不让…看见 胆小 心里难受 心里烦 心里苦 情绪…低落 情绪…不好 情绪…差 心情…不好 心情…差 低落 抑郁 心理压力 心理问题 心理医生 看心理 想退学 要退学
      不想读书 不想读了 不想…去学校 不想…上学 不想…上课
      不想来 不想返学 在意别人{怎么看|的看法|的眼光} 反复检查 怕有坏人 一惊一乍 吓一跳 躲进…房间 不敢一个人 假装开心 装作开心 强颜欢笑 其实很累 不想当{哥哥|姐姐} 没人管{他|她|我} 说是紧张 是紧张的 因为紧张 心理原因 想念以前 想念原来 一直叹气 总叹气 叫…也不出来 不肯出来 就吐 不撒手 拉不进去 不肯松手 不让我走 打赏 迷上了…{直播|游戏|手机|短视频|平板|抖音} 不太对劲 不大对劲 怪怪的 {问什么|问啥|说什么}都只 只回{一个字|嗯|哦} 体重…{掉|下降|减轻} 掉秤 就吃几口 只吃几口 怕胖 不敢吃 节食 催吐 念叨以前 想以前的学校 想回原来 想回以前 压力山大
      crying cries_every depressed depression withdrawn barely_{talks|talk|speaks|eats} {won't|won’t|doesn't|doesn’t}_talk refuses_to_go {doesn't|doesn’t}_want_to_go {won't|won’t}_go_to_school
      {can't|can’t|cant}_sleep cannot_sleep insomnia nightmares stressed lonely no_friends addicted tantrum meltdown`),
  },
  {
    kind: 'cue', label: 'wellbeing', weight: 2,
    note: 'silence, hiding, self-blame, fear, grief, screens (more forms)',
    says: '孩子沉默、害怕或情绪不好',
    terms: w(`不…说话 一声不吭 不吭声 什么都不说 啥都不说 问啥都说没事 问什么都说没事 都说没事 往房间…钻 钻进房间 不出房间 不愿出门
      叫也叫不动 叫不动 自己…笨 脑子笨 比不上别人 不如别人 没人喜欢 同学…不喜欢 都不喜欢{她|他} 吓醒 惊醒 堵得慌 心口…堵 胸口闷
      怕…被骂 不敢大声 不敢说话 看脸色 容易哭 爱哭 脾气大 脾气…大 {打|推|咬}{弟弟|妹妹|哥哥|姐姐} 跟{弟弟|妹妹|哥哥|姐姐}动手
      掉头发 脱发 什么都不想做 提不起劲 没动力 刷手机 骂人 分居 一个人哭 偷偷抹眼泪 情绪崩溃 发火 大发雷霆
      作息…乱 白天睡觉 晚上玩 想以前的朋友 想原来的 没怎么笑 没…笑过 情绪…不太好 心情…不太好 状态…不太好 状态很差
      几乎没有交流 没人…{玩|说话} {说|觉得}自己{丑|胖|笨|没用|不好|很差} 不停地洗手 咬{衣领|衣服|袖子} 嫌弃{他|她} 唉声叹气
      不爱出门 不肯跟…玩 说谎 撒谎 偷拿 不想活成 小团体 落单 废物 没用的人 什么都做不好 什么都不想干 {笑|说}{她|他}{胖|丑|矮|黑|笨} 不愿意…吃 适应不了 一说就{关门|摔门|哭|发火|跑|躲}
      不上学就好 不去学校就好 一上学就 讨厌上学 讨厌去学校 讨厌学校 提不起兴趣 都不感兴趣 没兴趣了 不自在 讨厌我自己 讨厌自己 恨自己 没有人在乎 没人在乎 没人关心 把自己锁
      一{上|到|说|提}…就{说|喊|}{头晕|头疼|头痛|肚子疼|肚子痛|不舒服|想吐|恶心}
      不想见人 不想出门 不想去 抗拒 排斥上学 害怕上学 怕上学 怕去学校 不想起床 赖床哭 焦虑症 强迫 自言自语 {老|总|一直}做…梦`),
  },
  {
    kind: 'cue', label: 'wellbeing', weight: 0.8,
    note: 'a death in the family: a leave request alone, grief with another sign of distress',
    says: '家里有亲人去世',
    terms: w(`去世 离世 过世`),
  },
  {
    kind: 'cue', label: 'wellbeing', weight: 2.5, gap: 10, crossClause: true,
    note: 'body symptoms that come with school or exams: anxiety, not an injury',
    says: '孩子一上学或考试身体就不舒服，像是焦虑',
    terms: w(`{一考试|考试前|考前|一上学|上学前|一到学校|到考场|一到考场|想到上学|说到上学|一说上学|一提上学|周日晚上|一到周日|一到教室|到教室门口|怕明天上学|一上台}…{肚子疼|肚子痛|头疼|头痛|心跳|心慌|手抖|出汗|想吐|吐|胸口闷|喘不上气|喘不过气|发麻|发抖|拉肚子}
      {肚子疼|肚子痛|头疼|头痛|心跳|心慌|手抖|出汗|想吐|呕吐|胸口闷|喘不上气|喘不过气|发麻|发抖}…{紧张引起|焦虑引起|紧张导致|是紧张|是焦虑|怕上学|怕考试|一到考场|到考场}
      {医院查|医院检查|检查身体|身体检查|体检|医生看了|医生检查}…{没问题|没毛病|都正常|没事|查不出}`),
  },
  {
    kind: 'cue', label: 'wellbeing', weight: 1.5,
    note: 'moods and reluctance, a notch weaker',
    says: '孩子情绪不太好',
    terms: w(`不开心 心情不好 不爱他 不爱她 一到周一 一到周日晚上 不想去了 不想举手 敏感 没意思 躲到 容易生气 爱生气
      动不动生气 说两句就 说他两句 说两句他就 不听话 闷着 丢人 不跟我们说 不愿意说 不出门 没下楼 躺着不动 捧着 玩手机
      会不会生气 小心翼翼 动手 没劲 偏心 开着灯睡 怕黑 紧紧拉着 不适应 想回老家 不好好吃 不耐烦 不想长大 抵触 吵架 被孩子听到 单亲 被骂`),
  },
  {
    kind: 'cue', label: 'wellbeing', weight: 2,
    note: 'crying, sleep, appetite and body signs of stress',
    says: '孩子哭、睡不好或压力很大',
    terms: w(`哭着 哭了一晚 哭了一整晚 一直哭 天天哭 偷偷哭 边写边哭 哭闹 大哭 掉眼泪 流眼泪 抹眼泪 眼泪 哭肿
      睡不着 失眠 睡不好 翻来覆去 半夜…醒 没胃口 吃不下 不吃饭 不肯吃 吃得特别少 吃得很少 瘦了 心慌 烦躁 心烦
      啃指甲 咬指甲 抠手 抠破 拔头发 咬嘴唇 压力太大 压力好大 压力很大 压力特别大 好累好累 喘不过气 扛不住 撑不住
      身体不舒服 坐立不安 手心出汗 手心冒汗 说梦话 梦里哭`),
  },
  {
    kind: 'cue', label: 'wellbeing', weight: 1.2,
    note: 'crying and stress words: flag alone, at low severity',
    says: '孩子难过或紧张',
    terms: w(`哭 委屈 难过 伤心 压力大 紧张 害怕 发呆 排斥`),
  },
  {
    kind: 'cue', label: 'wellbeing', weight: 1,
    note: 'mild signs',
    says: '孩子情绪有些波动',
    terms: w(`不高兴 崩溃 凌晨 打游戏 玩游戏`),
  },
  {
    kind: 'cue', label: 'wellbeing', weight: 0.8,
    note: 'stress and body words too common to flag alone',
    says: '孩子很累',
    terms: w(`好累 太累 躲 肚子疼 头疼`),
  },
  {
    kind: 'cue', label: 'wellbeing', weight: 2,
    note: 'anger, defiance, conflict at home, screen addiction',
    says: '孩子发脾气、沉迷手机或家里有冲突',
    terms: w(`发脾气 脾气特别 脾气变得 脾气暴 暴躁 摔东西 砸东西 摔门 摔…平板 摔…手机 撕了 大吵大闹 大吵一架 吵起来
      冲我吼 对我吼 尖叫 打滚 顶嘴 顶十句 叛逆 逆反 没法沟通 沟通不了 说不得 对着干 跟变了个人 像疯了 情绪失控
      谁的话都不听 老吵架 天天吵 吵架 闹离婚 离婚 不要我们了 沉迷 上瘾 网瘾 停不下来 一玩就是 不给就
      一收就 收走就 抱着手机 抱着平板 抱着ipad 偷偷玩 偷偷拿 刷短视频 刷视频 玩到凌晨 刷到凌晨 玩…到半夜 玩平板 两三点才睡
      一天…个小时 不让玩 不让玩游戏`),
  },
  {
    kind: 'cue', label: 'wellbeing', weight: 0.6,
    note: 'screens and moods named in passing',
    terms: w(`手机 平板 ipad 游戏 短视频 脾气 吼 没法 心里 压力 情绪 怕`),
  },

  // ───────────────────────────── academic ─────────────────────────────
  {
    kind: 'cue', label: 'academic', weight: 2.5,
    note: 'grades falling, failing, falling behind',
    says: '成绩下滑或跟不上',
    terms: w(`成绩下滑 成绩下降 成绩退步 成绩…下滑 成绩…下降 退步 下滑 考砸 考差 考得很差 不及格 没及格 及格线 不合格
      倒数 垫底 平均分以下 平均分…以下 拖后腿 跟不上 掉队 落后 落下 吃力 越来越难 只考了 才考了
      又是c 又是d 又得了c 六十出头 七十出头 六十几分 五十几分 原地踏步 不见起色 没起色 没进步 没什么进步
      上不去 提不上去 掉了…分 掉这么多 掉了这么多 从…掉到 一塌糊涂 满篇红叉 红叉 错一半 错了一半 全错 一堆错
      错一大片 错…道 错第 又错 总出错 老出错 老是错 总是错 扣一大半 扣…分 丢…分 丢分 扣分 重测 又没过
      跟不住 跟不动 吃不消 没搞懂 没弄懂 没学懂 没弄明白 没搞明白 搞不明白 弄不明白 弄不懂 卡壳 背不全 记不全 卡在…{题|道|这|步} {考|测|测试|测验|考试|成绩|分数|得了|拿了|单元|期中|期末}…才{3|4|5|6|7|三十|四十|五十|六十|七十}
      failing failed_the falling_behind fall_behind {can't|can’t|cant}_keep_up cannot_keep_up {grades|grade|scores|score}_dropped getting_worse bad_grade low_score poor_grade`),
  },
  {
    kind: 'cue', label: 'academic', weight: 2,
    note: 'not understanding, not remembering, no method',
    says: '孩子学得吃力、作业慢',
    terms: w(`听不懂 听不明白 没听懂 学不会 做不对 做不出来 不会做 一道都不会 完全不会 还是不会 又不会了 还不会
      没思路 读不懂 答非所问 写不出来 写不长 写不完 做不完 憋半天 憋了 背不下来 背不出来 背了就忘 又忘 全忘
      记不住 掰手指 数手指 粗心 马虎 分不清 搞混 不利索 没掌握 基础差 基础薄弱 不扎实 跟不上节奏 没跟上
      磨蹭 拖拉 写到…点 熬到 熬夜写 一道题…分钟 一道题要 一晚上只写 发怵 没信心 不敢开口 不合格 效率太低
      背错 背成 还是错 还是记不住 还是不懂 还卡在 我家还 进度慢`),
  },
  {
    kind: 'cue', label: 'academic', weight: 2,
    note: 'more forms of not keeping up',
    says: '孩子学习跟不上',
    terms: w(`磕磕巴巴 结结巴巴 不流利 没有思路 没什么思路 写不出 教不会 越来越差 成绩…差 正确率低 退了…名 排名…退 名次…退 跟不…上 忘光
      学不进去 听不进去 注意力不集中 不专心 没认真听 坐半天 做得很慢 慢吞吞 记不牢 读不通 不理想 考得不好 考得很差 考不好 分数…低
      成绩不好 成绩差 成绩…不好 没考好 不会写 不会做 一道…都不会 完全…不会 都不会 好多不会 错了好多 错得一塌糊涂
      听不太懂 看不太懂 听不大懂 学不太会 记不太住 听不怎么懂 看不怎么懂 不太会做 不太会写 写不到字数 凑不够字数 字数不够 写不够字数 错{的|得}…多 {struggling|struggles}_with`),
  },
  {
    kind: 'cue', label: 'academic', weight: 1.5,
    note: 'study trouble in other words',
    says: '孩子学习有困难',
    terms: w(`不审题 效率…低 读不对 一做题就不会 基础…差 排名…掉 {都|又|还是|一直|几次都}没过 基础…薄弱 注意力…不集中 不到…分 一个字都不写 一个字都写不出 必须有人陪 离不开人陪 弱项 拖…后腿 低了…分 比上次…低 最后一个交 经常不会 总是不会 老是不会
      搞不清楚 搞不懂 全靠蒙 靠蒙 瞎蒙 瞎写 乱写 写字慢 写…个多小时 写…慢 错的比对的 错一大堆 错了一大堆 作业质量…差 一落千丈
      写反 写颠倒 左右不分 就写了…行 才写了…{行|个字|道} 只写了…{行|个字} {做|写|背|磨|弄|憋}…个{多|}小时 基础{不太|不是很|不怎么}{好|扎实|牢}
      憋得 写不满 不过关 背不熟 默不出来 记不下来 空着没写 往后掉 拖到最后 又快又乱 错一堆 开小差 基础不好 基础差 正确率…低 没看懂 看不明白 理解不了 不理解 反应慢 跟不太上 赶不上进度 补不上来 漏洞 短板 偏科 瘸腿 没底 心里没底`),
  },
  {
    kind: 'cue', label: 'academic', weight: 1.2,
    note: 'study trouble, a notch weaker',
    says: '孩子学习有些吃力',
    terms: w(`东张西望 走神 一道不会 {大题|难题|附加题|后面的题}…{不会|空着|做不出} 全不会 全都不会 犯困 越积越多 不敢问 {思维|逻辑|理解|计算|阅读|表达}{能力|思维|}{很|比较|太|特别|}弱 陪着才{能|肯|会}写 一走开…就 学习方法…问题 没效果 拼不出来 拼不对 练了也没用 练了…没用 听一半 漏一半 丢三落四 成绩…退 全靠猜 一读题就 无从下手 不知道从哪下手 张冠李戴 接不上 要读半天 起色都没 字太乱 字迹潦草 刚及格 勉强及格 刚好及格 低空飘过 用手指算 手指算 数手指头 几乎为零 基本为零 一开口就 结巴 主动性…没有 一点主动性 不催就不 不催不 不盯着就不 靠猜 没得分 没有主动性 催着写 磕磕绊绊 不熟 时间不够 离目标 懵 就忘 搞错 没学过 还在写 两个多小时 三个小时 要…个小时 只拿了 没拿过 掉到 进度 干巴巴 出错 变差 下降 学不好 坐不住`),
  },
  {
    kind: 'cue', label: 'academic', weight: 0.8,
    note: 'late nights and unfinished work, needing a second sign',
    says: '作业写到很晚',
    terms: w(`看不懂 十一点 十二点 十点多 十点半 十一点多 十二点多 11点 12点 半夜 深夜 还剩 卡住 怎么补 怎么教 怎么辅导 怎么追
      怎么帮他 怎么帮她 怎么提高 问题出在哪 哪里出了问题 什么情况`),
  },
  {
    kind: 'cue', label: 'academic', weight: 0.5,
    note: 'study trouble named in passing',
    terms: w(`错 忘 慢`),
  },

  // ───────────────────────────── worry words (topic from context) ─────────────────────────────
  {
    kind: 'worry', label: 'wellbeing', weight: 1.5,
    note: 'worry and helplessness; academic when study words are near, else wellbeing',
    says: '家长很着急',
    terms: w(`担心 着急 焦虑 发愁 愁死 急死 急人 干着急 心累 心凉 心一沉 心里咯噔 咯噔 血压 没招 没辙 没办法了 真没办法
      不知道怎么办 该怎么办 可怎么办 怎么办才好 这样下去 放心不下 睡不着觉 好愁 真急 很急 挺急 头大 头疼死 慌了 崩溃了
      有什么办法 正常吗 别人家也这样吗 怎么办好 咋办 没精神 还来得及吗 来得及吗 怎么会这样 到半夜 做到半夜 写到半夜 拿他没办法 拿她没办法 怎么弄才好 怎么才能 该怎么 如何是好 不知所措 束手无策 操心 费心 扛不住了 anxious worried 我都睡不着 我晚上都睡不着 我也睡不着 愁得睡不着
      急得睡不着 担心得睡不着 别的孩子都 别人家孩子都 别人家的孩子都 同龄孩子都 班上别的孩子 人家孩子都 同学都会了`),
  },
  {
    kind: 'worry', label: 'academic', weight: 1.2, gap: 12, crossClause: true,
    note: 'persisting trouble despite effort: 背了一个月…还是, 讲了三遍…还是',
    says: '努力了还是没有起色',
    terms: w(`遍…还是 个月…还是 年级了…还 一学期…还是 好久…还是 半天…还是 练了…还是 教了…还是 讲了…还是 每天…还是 天天…还是`),
  },
  {
    kind: 'worry', label: 'wellbeing', weight: 0.7,
    note: 'milder worry words',
    terms: w(`怎么办 急 愁 慌 头疼 头大 心疼 难受 唉 哎 sad 没用 什么办法 愁人 没兴趣 没有兴趣 不感兴趣 受打击 打击很大`),
  },
  {
    kind: 'domain', label: 'academic', weight: 0,
    note: 'study topics',
    terms: w(`成绩 分数 考试 考了 测验 测试 单元 期中 期末 作业 学习 数学 语文 英语 做题 这题 道题 题目 应用题 默写 听写 口算
      作文 阅读 拼音 单词 进度 复习 预习 错题 排名 名次 课本 知识点 基础 练习 练字 试卷 卷子 物理 化学 科学 学情 正确率 及格 多少分 几分
      上课 生字 乘法 口诀 计算 背书 背课文 背单词 背诵 背不 古诗 课文 写字 学得`),
  },
  {
    kind: 'domain', label: 'wellbeing', weight: 0,
    note: 'wellbeing topics',
    terms: w(`情绪 心情 哭 睡 吃饭 胃口 脾气 朋友 同学关系 手机 游戏 平板 性格 心理 身体 状态 开心 精神 害怕 压力 孤单`),
  },

  // ───────────────────────────── modifiers ─────────────────────────────
  {
    kind: 'negator', weight: 0,
    note: 'negation: a cue right after is not asserted (不担心了, 没受伤, 别慌, 并不焦虑)',
    terms: w(`不 没 没有 别 不用 不再 并不 并没有 并没 无需 不必 不会 未 毫无 从不 从没 不是 也不 并非 用不着 不要`),
  },
  {
    kind: 'phrase', weight: 0,
    note: 'negation-looking phrases that negate nothing',
    terms: w(`不知道 不知 没想到 不好意思 不管 不得不 不仅 不但 不停 不断 不一定 不然 不过 不少 不久 不错 没多久
      要不要 是不是 能不能 会不会 有没有 好不好 行不行 对不对 要不 不小心 差不多 忍不住 不然的话 没过多久 不知不觉
      停不下 不一会 不见了 没事人 说不定 不得了 没开始 还没开始 没开课 还没开课 不想再 能不能别 别再 不要再 能别 不是说 也不是不 不是不 不如 还不如 不然就`),
  },
  {
    kind: 'boundary', weight: 0,
    note: 'contrast words end the scope of a negation',
    terms: w(`但 但是 可是 不过 然而 结果 却 就是 只是`),
  },
  {
    kind: 'scopeEnd', weight: 0,
    note: 'a new verb phrase starts: 「不给解决就退课」 does not negate 退课',
    terms: w(`就 才 然后 所以 因为 如果 要是 再`),
  },
  {
    kind: 'degree', weight: 1.3,
    note: 'degree and frequency adverbs',
    terms: w(`特别 非常 太 超级 超 实在 越来越 十分 极其 严重 完全 根本 动不动就 动不动 总是 老是 一直 天天 每天 经常 又 整天 整晚 成日`),
  },
  {
    kind: 'degree', weight: 1.15,
    note: 'milder adverbs',
    terms: w(`很 真的 真 好 挺 有点 比较 还是 都`),
  },
  {
    kind: 'degreeAfter', weight: 1.3,
    note: 'complements after a worry word',
    terms: w(`得不行 得要命 死了 极了 得很 坏了 透了 得厉害`),
  },
  {
    kind: 'urgency', weight: 0.5,
    note: 'insistence, time pressure, repetition',
    terms: w(`到底 究竟 赶紧 立刻 马上 尽快 最后一次 再这样 再不 !!! ??? !!!! 说了多少遍 说了多少次 多少次了
      都…天了 都…周了 都…个月了 都…工作日了 这都第 这都 都第 第三次 第四次 第五次 第…次了 好几次 好多次 一次又一次
      两天了 三天了 一周了 一个月了 半个月了 还没 还是没 仍然没 至今 急! 急!! 急急急 在线等 求助 救救`),
  },
  {
    kind: 'urgency', weight: 0.3,
    note: 'milder insistence',
    terms: w(`!! ?? 怎么办 什么时候 多久 又`),
  },
  {
    kind: 'distress', weight: 0.6,
    note: 'emoji and platform stickers of distress (WeChat/DingTalk/Lark codes); 🙏 only counts next to a worry',
    terms: w(`😭 😢 😥 😰 😱 😩 😫 😖 😣 😞 😔 💔 😓 🥺 😿 😟 😧 😨 [流泪] [大哭] [快哭了] [难过] [委屈] [衰] [撇嘴] [可怜]
      [抓狂] [泪] [哭] [哭泣] [伤心] [惊恐] [叹气] [苦涩] [裂开] 😡 😠 🤬 😤 [发怒] [怒] [生气] [愤怒] [敲打]`),
  },
  {
    kind: 'distress', weight: 0.3,
    note: 'a plea; weak, and counted only beside a worry',
    terms: w(`🙏 [合十] [抱拳] 求求 拜托`),
  },

  // ───────────────────────────── softening context ─────────────────────────────
  {
    kind: 'resolved', weight: 1,
    note: 'the worry is over',
    terms: w(`已经解决 解决了 已解决 处理好了 已经处理 已经好了 现在好了 现在没事 好多了 已经可以了 现在可以了 可以了
      恢复了 恢复正常 没事了 没什么事 没啥大事 和好了 和好 误会 闹着玩 玩闹 不担心了 放心了 多虑了 一切都好 都挺好 挺管用
      有效果 进步很大 进步了 进步了很多 调整了 改进了 改善了 有改善 有改进 好转 改过来了 适应了 习惯了 找到方法 已经能 现在能 抢着 安慰好了 聊开了
      虚惊一场 找到了 已经回来了 已经到家了 沟通好了 说开了 完成得很好 表现很好 表现得很好 表现不错 发挥得很好 医生说正常 医生说没事 医生说没什么 医生说问题不大 这事就算了 解释清楚了 问清楚了 已经问清楚 道歉了 已经道歉 握手言和 误会一场 处理完了 解决好了 谈过了 已经沟通 不严重 没大碍 没什么大碍 没啥大碍 无大碍 不要紧 已经不哭了 好了很多 回来了没事 贴了创可贴 不用管 不用了 问题不大 考了9 考了10 满分 全对了 都对了 全部正确
      继续上 继续学 决定继续 继续跟 我们是续的 我们是续费的 我们续 已续费 续费已 续费已经 我们不退 不退了 不退哈 不打算退 没打算退
      没问题了 现在没问题 也挺好 开开心心 开心多了 好起来了 挺好的 心态也挺好 我这边正常
      比线下还好 比上学期好 越来越好 喜欢上 特别喜欢 很喜欢 挺好 不焦虑 不着急 想开了 看开了 慢慢来`),
  },
  {
    kind: 'resolved', weight: 1,
    note: 'an injury already healed, a missing child already found',
    terms: w(`{已经|完全|都|早就|基本|基本上}{好了|长好了|恢复了|痊愈|痊愈了|康复|康复了|愈合|愈合了|结痂|结痂了|不疼了|消肿了} 恢复得{很好|不错|挺好|很快}
      拆{石膏|线|纱布|夹板} 伤口…{长好|愈合|结痂} 结痂了 不疼了 检查…都正常 都正常 现在很好 现在挺好 现在都好
      自己回来了 已经接到 已接到 接到{孩子|人}了 安全到家 已到家 已经到了 不用找了 别找了 找着了 已经找着`),
  },
  {
    kind: 'resolved', weight: 0.5,
    note: 'a past worry being reported back (之前说的…, 上次…)',
    terms: w(`之前担心 刚开始 刚报名时 本来想
      后来 现在已经 现在找到 点赞 之前孩子 以前孩子 谢谢老师的建议 谢谢老师开导 谢谢老师处理 谢谢老师关心 谢谢关心 还担心 一开始`),
  },
  {
    kind: 'joke', weight: 1,
    note: 'jokes and banter among parents',
    terms: w(`哈哈 笑死 笑哭 😂 🤣 😆 😄 😁 😜 😝 🤪 开玩笑 逗死 真要命 要人命 要了…的命 要了…命 [偷笑] [呲牙] [捂脸] [奸笑] lol hhh 2333 小大人 搞笑 哈哈哈 好气又好笑`),
  },
  {
    kind: 'positive', weight: 1,
    note: 'being moved by a story is not distress',
    terms: w(`感人 感动 好感动 太感动 主动回答 主动举手 敢举手 敢发言 主动发言`),
  },
  {
    kind: 'positive', weight: 0.5,
    note: 'good news and being moved, which soften worry words around them',
    terms: w(`主动读 主动写 主动学 迷上 爱上 大家好 请多关照 很高兴认识 开心 高兴 骄傲 自豪 好棒 太棒 表扬 夸 进步 喜欢 谢谢老师 感谢老师 点赞 优秀 嘚瑟 得意 显摆 实用 很有用 有帮助 好用 受益 收获很大 交到朋友 交到了朋友 交了新朋友 新朋友 人特别好 人很好 很友好 很照顾 适应得很好 适应得不错 玩得很开心`),
  },
  {
    kind: 'illness', weight: 1,
    note: 'an ordinary illness explains tiredness, poor sleep or appetite; softens, does not cancel',
    terms: w(`疫苗 接种 咳嗽 感冒 发烧 发热 生病了 病了 拉肚子 流鼻涕 嗓子疼 长牙 换牙`),
  },
  {
    kind: 'thirdParty', weight: 1,
    note: 'asking for someone else',
    terms: w(`帮朋友问 帮亲戚问 帮同事问 替朋友问 替别人问 替朋友 帮朋友 帮我姐 帮我妹 帮我哥 帮我弟 帮…问 替…问 帮…问的 替…咨询 帮…咨询 帮…打听 替…打听 朋友家孩子 亲戚家孩子 同事家孩子
      她家孩子 他家孩子 朋友的孩子 亲戚的孩子 同事的孩子 别的班的家长 别的班的孩子 楼上的家长 其他家长 有家长说 听别的家长说 大家不用`),
  },
  {
    kind: 'policy', weight: 1,
    note: 'calm questions about refund rules, not a request',
    terms: w(`退费政策 退款政策 退费规则 退款规则 退费规定 退课规则 退课政策 官网 退费条款 退款条款 合同里 了解一下 没有要退 只是问问 就是问问 问问而已 先了解`),
  },
  {
    kind: 'topic', weight: 1,
    note: 'the worry word is a topic: notices, class meetings, drills, safety lessons',
    terms: w(`主题 班会 讲座 宣传周 宣传月 宣传片 教育周 教育月 安全教育 安全课 安全提醒 安全提示 演练 情景剧 告家长书 防溺水 防欺凌 反欺凌
      防拐 预防 心理健康课 心理健康教育 心理健康讲座 健康教育 家长必读 家长可以这样做 如何帮助 如何应对 怎样应对 小方法 分享
      警方提醒 公安提醒 派出所提醒 温馨提示 提高警惕 通报 谨防 嫌疑人 已被抓获 社区通知 请家长提醒 请家长转告 提醒孩子不要 告诉孩子不要 教育孩子不要
      儿歌 看到新闻 新闻说 新闻里 新闻上 新闻报道 看到报道 报道说 网上看到 外地有`),
  },
  {
    kind: 'homework', weight: 1,
    note: 'quoted homework: composition titles, sentence-making, word lists',
    terms: w(`作文题目 题目是 题目: 作文题 造句 组词 近义词 反义词 读后感 日记要写 手抄报 造了个句 造个句 造了一个句 作文写了“ 写的是“ 课文里 书上说 一句“ 这句话 作文《》 日记《》 读了《》
      讲了《》 学了《》 课上讲了 看了《》 成语 要求写 周记要求 作文要求 阅读题里 题里有一句 题说 题目说 题里说 题目里 题干 题中 原题 例题 这道题说 绘本 这本书 书名 推荐吗
      文中 阅读题问 阅读题: 课本上说 课本上 课本里 课文中 书里说 故事里 文章里 是什么意思 如果遇到 遇到…怎么办 {写|列|举}{三|两|几|五|四}条 道德与法治 思品 作业: 题:`),
  },
  {
    kind: 'frame', weight: 1, atStart: true,
    note: 'forwarded notices and check-in templates at the start of a message',
    terms: w(`【转】 【转发】 【转载】 [转] [转发] 转发: 转: 转自 【通知】 【公告】 【提醒】 【分享】 【活动】 【打卡】 【早读打卡】 【作业】
      转发一篇 转发一下 转一篇 分享一篇 分享一个 转给大家 推荐一篇 推荐大家`),
  },
  {
    kind: 'neutral', label: 'wellbeing', weight: 0,
    note: 'crying that is not distress; a parent\'s own stress',
    terms: w(`看哭 读哭 读哭了 看哭了 感动哭 感动得哭 哭笑不得 喜极而泣 哭着要去 哭着要救 哭着要养 哭着要买 同学哭了 同学哭 安慰人家 眼泪都下来了 笑出眼泪
      我自己…{失眠|睡不着|焦虑|压力大|心情不好|累} 我最近失眠 {看|读|写|学|练|听}得停不下来 吵得…睡不着 吵得人睡不着 工作压力 上班压力 我压力 压力大的不是 别太大 我都睡不着 我晚上都睡不着 我也睡不着 愁得睡不着 急得睡不着 担心得睡不着 累死了 累坏了 累得 玩累了 跑累了 不怕 哪怕 恐怕 怕冷 怕热 怕痒
      手机号 手机上 用手机 平板上课 用平板 游戏规则 小游戏 课堂游戏 躲猫猫 捉迷藏 沉迷于书 沉迷看书 看书入迷`),
  },
  {
    kind: 'neutral', label: 'academic', weight: 0,
    note: 'study words that are not trouble',
    terms: w(`错题本 不错 错过 没错 错别字表 难忘 难得 为难 分享 分钟 分别 部分 分组 分数线 红包 红花 小红花 红领巾
      卡住了网 视力…下降 视力下降 落下的课 落下的内容 落下的作业 缺的课 请假的课 拿错 穿错 带错 走错 坐错 拿反 慢慢 忘记带 忘带 忘了带 忘了交 差点忘 难题 难度 偏难 难住 学情报告 发红包 慢点 太难得 还剩多少 还剩几 还剩下多少`),
  },
  {
    kind: 'neutral', label: 'complaint', weight: 0,
    note: 'service words that are not complaints',
    terms: w(`老师反映 老师都反映 老师也反映 老师说他 老师说她 写不满 我讲不清 我也讲不清 我讲不明白 我也讲不明白 没回去 没回来 没回家 没回宿舍 发错群 发错了群 发错地方 不回放 回放 回来 回家 没回复我也理解 没关系 不行的话 行不行 不错 不太行吗 质量很好 质量不错 课程质量很好
      没人管{他|她|我} 卡在这 卡在那 卡在…题 卡在…道 卡壳 打不开是要 点不开是要 打不开吗 打不开怎么办 迟到了五分钟,抱歉 我们迟到 孩子迟到 晚进了 抱歉 准时`),
  },
  {
    kind: 'neutral', label: 'refund', weight: 0,
    note: 'renewal traffic that is not leaving; 不上 and 退 inside other words',
    terms: w(`登不上 连不上 进不上 刷不上 传不上 成绩…退 分数…退 不续费的家长 不续的家长 退费的家长 退课的家长 续费链接发 续费有 续费优惠 续不续 跟不上 赶不上 考不上 追不上
      比不上 配不上 看不上 用不上 帮不上 说不上 上不上 退步 退烧 烧退 退回重写 退回修改 被退回 退休 撤退 后退 倒退 减退
      退了…作业 退回来的作业 作业退回 退回的作业 退群 退出群 退出登录 烧…退 退出{合唱团|社团|校队|兴趣班|比赛|班委|乐队|球队|群聊|游戏|登录} 想退学 要退学 闪退 排名…退 名次…退 退了…名 退到`),
  },

  {
    kind: 'neutral', weight: 0,
    note: 'politeness and calm questions that contain worry words of any label; a bully\'s excuse that is not a parent\'s joke',
    terms: w(`焦头烂额 多费心 费心了 老师费心 让老师费心 操心了 老师操心 费心费力 是不是印错 是不是打错 是不是写错 答案是不是 是不是有误 是不是弄错 是不是搞错
      找到了{他|她|我|孩子}的 找到{他|她}的 解决了吗 已经解决了吗 解决了没 处理好了吗 处理了吗 好了没 是谁算错 谁算错了 谁写错了 是谁错了 说是开玩笑 说只是开玩笑 说是闹着玩 说只是闹着玩 说他们是开玩笑 说是玩的`),
  },

  // ───────────────────────────── acknowledgements ─────────────────────────────
  {
    kind: 'ack', weight: 0,
    note: 'a message made only of these (and punctuation, particles such as 啊/呀/的, one stray character) is an acknowledgement',
    terms: w(`收到 好的 好嘞 好滴 好哒 好 嗯 嗯嗯 谢谢 谢了 谢啦 感谢 多谢 辛苦 辛苦了 辛苦啦 老师 老师们 助教 班主任 知道了 知道
      明白 明白了 了解 了解了 ok okay get thx thanks thank you 👌 👍 🙏 💪 🌹 💐 ❤ 🤝 😊 ☀ 🎉 ✅ [强] [ok] [玫瑰]
      [抱拳] [握手] [爱心] [胜利] [鼓掌] [好的] +1 1 已阅 已读 已提交 已交 可以 行 没问题 您 你
      早 早上好 晚上好 晚安 你好 您好 大家好 再见 拜拜 了解啦 好的呢 嗯呢 谢谢您 谢谢你 谢谢大家 感谢老师 点赞 棒 太棒了 赞`),
  },
];
