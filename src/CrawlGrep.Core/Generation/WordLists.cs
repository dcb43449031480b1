using System.Text;

namespace CrawlGrep.Core.Generation;

/// <summary>Vocabulary of the generated pages. No word contains a planted token (see <see cref="PlantedTokens"/>).</summary>
internal static class WordLists
{
    public const string English =
        "the of and to in is that for it as was with be by on not he this are or his from at which but have an they " +
        "you were her she there been one all we their has would when if so no what up out more about into them can " +
        "only other new some time could these two may first then do any like my now over such our man me even most " +
        "made after also did many before must through back years where much your way well down should because each " +
        "just those people how too little state good very make world still own see men work long get here between both " +
        "life being under never day same another know while last might us great old year off come since against go " +
        "came right used take three states himself few house use during without again place american around however " +
        "home small found thought went say part once general high upon school every does got united left number course " +
        "war until always away something fact though water less public put think almost hand enough far took head yet " +
        "government system better set told nothing night end why called eyes find going look asked later knew point " +
        "next program city business give group toward young days let room president side social given present several " +
        "order national possible rather second face per among form important often things looked early white case john " +
        "become large big need four within felt along children saw best church ever least power development light seemed " +
        "family interest want members others mind country area done turned although open god service certain kind problem " +
        "began different door thus help sense means whole matter perhaps itself york times law human line above name " +
        "example action company hands local show whether five history gave today either act feet across taken past quite " +
        "anything seen having death experience body word half really week field car words already themselves information " +
        "tell together college shall money period held keep sure free seems real probably political behind clear question " +
        "production dark level road city market river garden summer winter spring autumn music travel recipe kitchen " +
        "coffee bread cheese village mountain island harbor bridge station library museum theater gallery festival " +
        "weather forecast report analysis network server archive crawler index search query dataset research science " +
        "energy climate ocean forest desert planet orbit signal engine bicycle railway airport ticket hotel breakfast " +
        "dinner lunch menu price offer discount shipping delivery account password profile settings privacy policy " +
        "terms contact support download install update release version feature bug issue review rating comment reply " +
        "forum thread post article blog news story photo video gallery album song artist concert football tennis " +
        "basketball match team season league player coach score goal stadium election vote council mayor budget tax " +
        "health doctor hospital medicine patient care nurse clinic insurance bank loan credit market stock share fund " +
        "student teacher class lesson course exam degree campus history chapter novel poem author editor publisher " +
        "software hardware laptop phone screen battery camera printer keyboard mouse cable router wireless cloud storage";

    public const string German =
        "und der die das ist nicht mit auf für über Straße Müller schön Grüße Bücher Mädchen Größe Frühstück " +
        "Zeitung Bahnhof Stadt Wetter heute morgen gestern Woche Jahr Arbeit Haus Garten Wald See Brücke Kirche " +
        "Rathaus Bürger Gemeinde Veranstaltung Öffnungszeiten Anfahrt Impressum Datenschutz Kontakt";

    public const string French =
        "le la les des une est pour avec dans sur café élève naïve déjà crème été forêt château hôtel théâtre " +
        "musée français bibliothèque université journée semaine année mairie quartier marché boulangerie " +
        "fromage recette cuisine accueil actualités contactez mentions légales";

    public const string Spanish =
        "el la los las una para con por niño mañana corazón canción año señor ciudad música información " +
        "pequeño tamaño campaña español noticias inicio contacto búsqueda página artículo comentarios";

    public const string Japanese =
        "日本語 東京 大阪 京都 検索 情報 ウェブ サイト ニュース 天気 料理 旅行 写真 音楽 映画 会社 大学 " +
        "図書館 博物館 新幹線 ホーム お問い合わせ 会員登録 ログイン 今日 明日";

    public const string Russian =
        "привет поиск данные Москва город новости погода работа история музей библиотека университет " +
        "главная контакты статья страница сегодня завтра книга музыка";

    public const string Chinese =
        "中文 网络 数据 搜索 新闻 天气 北京 上海 学校 大学 图书馆 博物馆 音乐 电影 首页 联系我们 关于我们";

    /// <summary>Sprinkled rarely into English text.</summary>
    public const string Sprinkles = "café naïve résumé façade über Zürich São jalapeño 日本語 東京 🚀 🎉 ✨ 👍 😀 →";

    public static byte[][] Encode(string words) =>
        words.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => Encoding.UTF8.GetBytes(w)).ToArray();

    public static string[] Split(string words) => words.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static readonly string[] FirstNames =
        ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "nina",
         "oscar", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yuki", "zoe", "marta", "lukas", "sofia"];

    public static readonly string[] LastNames =
        ["smith", "jones", "garcia", "mueller", "martin", "rossi", "tanaka", "kowalski", "novak", "silva",
         "johnson", "dubois", "larsen", "okafor", "nguyen", "petrov", "haddad", "kim", "lopez", "schmidt"];

    public static readonly string[] Tlds =
        ["com", "com", "com", "com", "com", "org", "org", "net", "net", "de", "de", "fr", "co.uk", "jp", "ru",
         "io", "info", "es", "it", "nl", "com.br", "edu", "cn", "ca", "com.au"];
}
