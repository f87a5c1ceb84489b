"""Text normalisation for short Chinese petitions (no Django)."""

from __future__ import annotations

import re
import unicodedata

# Traditional → simplified for the characters common in petitions. A small hand table (the
# frequent characters of everyday and administrative writing), enough for keyword rules and
# n-grams to see a traditional-script letter as the same words; not a full converter.
_T2S_PAIRS = (
    "萬万 與与 專专 業业 叢丛 東东 絲丝 兩两 嚴严 喪丧 個个 豐丰 臨临 為为 麗丽 舉举 義义 "
    "烏乌 樂乐 喬乔 習习 鄉乡 書书 買买 亂乱 爭争 於于 虧亏 雲云 亞亚 產产 畝亩 親亲 億亿 "
    "僅仅 從从 侖仑 倉仓 儀仪 們们 價价 眾众 優优 會会 傘伞 偉伟 傳传 傷伤 倫伦 偽伪 體体 "
    "餘余 傭佣 僉佥 俠侠 侶侣 僥侥 偵侦 側侧 僑侨 儈侩 儂侬 俁俣 儉俭 債债 傾倾 僂偻 僨偾 "
    "償偿 儲储 兒儿 兌兑 黨党 蘭兰 關关 興兴 養养 獸兽 內内 岡冈 冊册 寫写 軍军 農农 馮冯 "
    "沖冲 決决 況况 凍冻 淨净 涼凉 減减 湊凑 凜凛 幾几 鳳凤 憑凭 凱凯 擊击 鑿凿 劃划 劉刘 "
    "則则 剛刚 創创 刪删 別别 剎刹 劑剂 劍剑 劇剧 勸劝 辦办 務务 動动 勵励 勁劲 勞劳 勢势 "
    "勛勋 勻匀 區区 醫医 華华 協协 單单 賣卖 盧卢 衛卫 卻却 廠厂 廳厅 曆历 厲厉 壓压 厭厌 "
    "縣县 參参 雙双 發发 變变 敘叙 疊叠 葉叶 號号 嘆叹 嘰叽 後后 嚇吓 呂吕 嗎吗 噸吨 聽听 "
    "啟启 吳吴 員员 嗆呛 嗚呜 詠咏 嚨咙 鹹咸 響响 啞哑 噠哒 噥哝 嘩哗 喚唤 問问 啟启 圍围 "
    "園园 國国 圖图 圓圆 聖圣 場场 壞坏 塊块 堅坚 壇坛 壩坝 墳坟 墜坠 壟垄 壘垒 墾垦 執执 "
    "報报 堯尧 塹堑 墊垫 塢坞 塗涂 聲声 處处 備备 複复 夠够 頭头 誇夸 夾夹 奪夺 奮奋 獎奖 "
    "婦妇 媽妈 嫵妩 嬌娇 孫孙 學学 寧宁 寶宝 實实 審审 憲宪 宮宫 寬宽 賓宾 對对 尋寻 導导 "
    "壽寿 將将 爾尔 塵尘 嘗尝 層层 屆届 屬属 歲岁 豈岂 嶺岭 島岛 峽峡 崗岗 幣币 帥帅 師师 "
    "帳帐 帶带 幫帮 幹干 廣广 莊庄 慶庆 廬庐 庫库 應应 廟庙 廢废 開开 異异 張张 彌弥 彎弯 "
    "彈弹 強强 歸归 當当 錄录 彙汇 徹彻 徵征 徑径 憶忆 懷怀 態态 憐怜 總总 戀恋 懇恳 惡恶 "
    "惱恼 悶闷 驚惊 慘惨 慚惭 慣惯 戇戆 戰战 戲戏 戶户 撲扑 執执 擴扩 掃扫 揚扬 擾扰 撫抚 "
    "搶抢 護护 報报 擔担 擬拟 攏拢 揀拣 擁拥 攔拦 擰拧 撥拨 擇择 掛挂 摯挚 撈捞 損损 撿捡 "
    "換换 搗捣 據据 擄掳 擠挤 揮挥 攪搅 攜携 搖摇 擺摆 數数 斂敛 敵敌 斷断 時时 曠旷 晝昼 "
    "顯显 曬晒 曉晓 暫暂 書书 會会 朧胧 術术 機机 殺杀 雜杂 權权 條条 來来 楊杨 極极 構构 "
    "樞枢 棗枣 櫃柜 檸柠 標标 棧栈 樓楼 樣样 檔档 橋桥 樁桩 夢梦 檢检 欄栏 歡欢 歐欧 殘残 "
    "殼壳 畢毕 氣气 漢汉 湯汤 溝沟 沒没 滬沪 瀉泻 潑泼 淚泪 潔洁 灑洒 濁浊 測测 濟济 渾浑 "
    "濃浓 濤涛 澇涝 潤润 漲涨 漁渔 淵渊 漸渐 灣湾 濕湿 溫温 滅灭 燈灯 災灾 爐炉 點点 煉炼 "
    "爛烂 煩烦 燒烧 熱热 愛爱 爺爷 牆墙 狀状 猶犹 獨独 獄狱 貓猫 獻献 環环 現现 瑪玛 璽玺 "
    "產产 畫画 暢畅 癡痴 瘡疮 瘋疯 療疗 皺皱 盞盏 監监 盤盘 盜盗 睜睁 睞睐 矯矫 確确 礙碍 "
    "禮礼 禍祸 離离 禿秃 種种 積积 稱称 穩稳 窮穷 竊窃 競竞 筆笔 節节 範范 築筑 簡简 籌筹 "
    "簽签 類类 糧粮 糾纠 紅红 約约 級级 紀纪 純纯 紙纸 納纳 紛纷 線线 練练 組组 細细 終终 "
    "經经 綁绑 結结 給给 絡络 統统 絕绝 續续 維维 綜综 綠绿 網网 緊紧 縱纵 緒绪 編编 緣缘 "
    "緩缓 織织 繳缴 繼继 罰罚 罷罢 羅罗 職职 聯联 聰聪 腦脑 膽胆 脅胁 腫肿 膚肤 腎肾 勝胜 "
    "臉脸 艙舱 艱艰 藝艺 節节 芻刍 蘆芦 蘇苏 蘋苹 範范 莖茎 薦荐 藥药 獲获 蓋盖 蘿萝 營营 "
    "蕭萧 號号 蟲虫 雖虽 蝦虾 螞蚂 蠶蚕 補补 襯衬 裝装 製制 覆复 見见 觀观 規规 視视 覺觉 "
    "覽览 計计 認认 討讨 讓让 訓训 議议 記记 講讲 許许 論论 設设 訪访 證证 評评 識识 詢询 "
    "試试 詩诗 話话 該该 詳详 誠诚 說说 語语 誤误 請请 諸诸 諾诺 讀读 課课 誰谁 調调 談谈 "
    "謀谋 謝谢 謠谣 謹谨 譜谱 豬猪 貝贝 負负 財财 責责 貧贫 貨货 販贩 貪贪 購购 貫贯 貴贵 "
    "貸贷 費费 賀贺 資资 賊贼 賄贿 賠赔 賞赏 賦赋 賬账 賭赌 賴赖 賺赚 賽赛 贈赠 贊赞 趕赶 "
    "趙赵 趨趋 躍跃 蹤踪 踐践 軟软 輛辆 輕轻 載载 較较 輸输 轉转 轟轰 辭辞 邊边 遼辽 達达 "
    "遷迁 過过 運运 還还 這这 進进 遠远 違违 連连 遲迟 適适 選选 遞递 邏逻 遺遗 鄧邓 鄭郑 "
    "醞酝 釀酿 釋释 裡里 鑒鉴 針针 釘钉 鐵铁 鈴铃 鉛铅 銀银 銷销 鋪铺 鋼钢 錢钱 錯错 鍋锅 "
    "鍵键 鎮镇 鏈链 鐘钟 鑰钥 長长 門门 閃闪 閉闭 問问 閒闲 間间 閘闸 閱阅 闊阔 闖闯 隊队 "
    "陽阳 陰阴 陣阵 階阶 際际 陸陆 陳陈 隨随 險险 隱隐 雞鸡 難难 雛雏 電电 霧雾 靜静 響响 "
    "頂顶 項项 順顺 須须 預预 領领 頻频 題题 額额 顏颜 願愿 類类 顧顾 風风 飛飞 飯饭 飲饮 "
    "館馆 餓饿 馬马 駕驾 騎骑 驗验 驅驱 髮发 鬥斗 鬧闹 魚鱼 鮮鲜 鳥鸟 鴨鸭 鵝鹅 黃黄 齊齐 "
    "齒齿 龍龙 龜龟 廁厕 廈厦 塊块 歷历 團团 礦矿 鄰邻 欄栏 滯滞 淺浅 暈晕 蹟迹 壯壮 麼么 "
    "甦苏 週周 鍾钟 紮扎 裏里 磚砖 瓦瓦 託托 衝冲 鬆松 佔占 撐撑 隻只 餵喂 攤摊 噪噪 漿浆 "
    "懲惩 獲获 濫滥 諮咨 飼饲 僱雇 薪薪 繫系 徵征 鹽盐 戶户 戲戏"
)
_T2S = str.maketrans({pair[0]: pair[1] for pair in _T2S_PAIRS.split() if len(pair) == 2})

_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFKC (full-width letters and digits to half-width), traditional to simplified, lower
    case, runs of white space to one space."""
    text = unicodedata.normalize("NFKC", text or "")
    text = text.translate(_T2S).lower()
    return _SPACE.sub(" ", text).strip()


def char_ngrams(text: str, sizes: tuple[int, ...] = (2, 3)) -> set[str]:
    """Character n-grams of the text's CJK, letter and digit runs (punctuation splits runs)."""
    grams: set[str] = set()
    for run in re.findall(r"[\w]+", text):
        for n in sizes:
            grams.update(run[i : i + n] for i in range(len(run) - n + 1))
    return grams
