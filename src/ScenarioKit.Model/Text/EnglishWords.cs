using System.Collections.Frozen;

namespace ScenarioKit.Model.Text;

/// <summary>
/// English word forms that should meet (docs/engine.md "Text handling"), applied to examples and customer text
/// alike after segmentation: informal spellings read as the words they stand for ("pls" → please, "wanna" → want
/// to), closed compounds written open or hyphenated made one word ("log in"/"log-in" → login, "wi-fi" → wifi),
/// British spellings folded to American ("colour" → color, "recognise" → recognize, "centre" → center) and every
/// word stemmed by Porter2's inflectional steps (<see cref="PorterStemmer"/>). Patterns and keywords still see the text as typed.
/// </summary>
public static class EnglishWords
{
    /// <summary>
    /// Chat spellings and contractions typed as one word, and the words they stand for. Only forms with one usual
    /// reading in a support chat ("ta" is British "thanks"); "y" (why?), "no" (number?), "k" (in "5k"), "tx" and
    /// "bc" are left alone.
    /// </summary>
    static readonly FrozenDictionary<string, string[]> Informal = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["u"] = ["you"], ["ur"] = ["your"], ["r"] = ["are"],
        ["pls"] = ["please"], ["plz"] = ["please"], ["plse"] = ["please"],
        ["thx"] = ["thanks"], ["thnx"] = ["thanks"], ["thanx"] = ["thanks"], ["thnks"] = ["thanks"],
        ["ty"] = ["thank", "you"], ["tyvm"] = ["thank", "you"], ["ta"] = ["thanks"],
        ["hiya"] = ["hi"], ["heya"] = ["hey"], ["cya"] = ["bye"], ["seeya"] = ["bye"],
        ["wanna"] = ["want", "to"], ["gonna"] = ["going", "to"], ["gotta"] = ["got", "to"], ["hafta"] = ["have", "to"],
        ["lemme"] = ["let", "me"], ["gimme"] = ["give", "me"], ["dunno"] = ["not", "know"], ["kinda"] = ["kind", "of"],
        ["cos"] = ["because"], ["coz"] = ["because"], ["cuz"] = ["because"],
        ["tho"] = ["though"], ["thru"] = ["through"], ["abt"] = ["about"], ["ppl"] = ["people"],
        ["kk"] = ["ok"], ["okay"] = ["ok"], ["msg"] = ["message"], ["txt"] = ["text"],
        ["acct"] = ["account"], ["tmrw"] = ["tomorrow"], ["tmr"] = ["tomorrow"], ["tomoz"] = ["tomorrow"],
        ["pwd"] = ["password"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Closed compounds that customers also write as two words or hyphenated (the two words joined by a space, the
    /// compound). Only pairs whose closed form is the usual word, so "log in" meets "login" and "sign-up" meets
    /// "signup"; "check out" (look at) and "call back" (call me back) are not here, their open form means more.
    /// </summary>
    static readonly FrozenDictionary<string, string> Compounds = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["log in"] = "login", ["log on"] = "logon", ["log out"] = "logout", ["log off"] = "logoff",
        ["sign in"] = "signin", ["sign up"] = "signup", ["sign on"] = "signon", ["set up"] = "setup",
        ["top up"] = "topup", ["e mail"] = "email", ["wi fi"] = "wifi", ["web site"] = "website",
        ["voice mail"] = "voicemail", ["user name"] = "username", ["pass word"] = "password",
        ["on line"] = "online", ["off line"] = "offline", ["back up"] = "backup", ["pick up"] = "pickup",
        ["check in"] = "checkin", ["any more"] = "anymore",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    static readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> CompoundBySpan = Compounds.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>British spellings no suffix rule covers, and the American form they fold to.</summary>
    static readonly FrozenDictionary<string, string> Spellings = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["licence"] = "license", ["licences"] = "licenses", ["defence"] = "defense", ["offence"] = "offense", ["pretence"] = "pretense",
        ["practise"] = "practice", ["practised"] = "practiced", ["practising"] = "practicing",
        ["grey"] = "gray", ["plough"] = "plow", ["mould"] = "mold", ["ageing"] = "aging", ["judgement"] = "judgment",
        ["acknowledgement"] = "acknowledgment", ["enquiry"] = "inquiry", ["enquiries"] = "inquiries", ["enquire"] = "inquire",
        ["programme"] = "program", ["programmes"] = "programs", ["catalogue"] = "catalog", ["dialogue"] = "dialog",
        ["aluminium"] = "aluminum", ["kerb"] = "curb", ["tyre"] = "tire", ["tyres"] = "tires",
        ["pyjamas"] = "pajamas", ["cosy"] = "cozy", ["sceptical"] = "skeptical", ["manoeuvre"] = "maneuver", ["jewellery"] = "jewelry",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>What may follow a British "-our" ("colour", "colours", "coloured", "favourite", "neighbourhood").</summary>
    static readonly string[] AfterOur = ["", "s", "ed", "ing", "ite", "ites", "able", "ably", "er", "ers", "ful", "less", "hood", "hoods", "ism", "ist"];

    /// <summary>"-ise" endings and their American "-ize" ("recognise" → "recognize", "organisation" → "organization").</summary>
    static readonly (string British, string American)[] IseEndings =
    [
        ("isations", "izations"), ("isation", "ization"), ("ising", "izing"), ("ised", "ized"), ("ises", "izes"), ("isers", "izers"), ("iser", "izer"), ("ise", "ize"),
        ("ysing", "yzing"), ("ysed", "yzed"), ("yses", "yzes"), ("yse", "yze"),
    ];

    /// <summary>The shortest stem an "-ise" may follow: "rise", "wise", "noise", "raise", "prise" keep their s.</summary>
    const int MinimumIseStem = 3;

    /// <summary>
    /// The words an informal form stands for ("wanna" → want, to), or null when <paramref name="word"/> is not one.
    /// </summary>
    public static IReadOnlyList<string>? Expand(string word) => Informal.TryGetValue(word, out var words) ? words : null;

    /// <summary>Whether <paramref name="word"/> is an informal form read as other words (<see cref="Expand"/>).</summary>
    public static bool IsInformal(ReadOnlySpan<char> word) => InformalBySpan.ContainsKey(word);

    static readonly FrozenDictionary<string, string[]>.AlternateLookup<ReadOnlySpan<char>> InformalBySpan = Informal.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The closed compound two neighbouring words make ("log", "in" → "login"), or null; allocates nothing.</summary>
    public static string? Compound(ReadOnlySpan<char> first, ReadOnlySpan<char> second)
    {
        // The longest pair ("voice mail") is 10 characters; a longer pair is no compound.
        Span<char> key = stackalloc char[16];
        if (first.Length + 1 + second.Length > key.Length) return null;
        first.CopyTo(key);
        key[first.Length] = ' ';
        second.CopyTo(key[(first.Length + 1)..]);
        return CompoundBySpan.TryGetValue(key[..(first.Length + 1 + second.Length)], out var joined) ? joined : null;
    }

    /// <summary>
    /// A British spelling as American: "colour" → "color", "favourite" → "favorite", "recognised" → "recognized",
    /// "analyse" → "analyze", "centre"/"centres" → "center"/"centers", "fibre" → "fiber", and a short list of single
    /// words ("licence", "grey", "programme", "enquiry"). "cheque" stays: folded to "check" it would meet "check for
    /// an outage". Anything else is returned as it is.
    /// </summary>
    public static string ToAmerican(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (Spellings.TryGetValue(word, out var american)) return american;
        // -our: at least two letters before it, so "our", "your", "hour", "four", "tour" stay.
        var our = word.LastIndexOf("our", StringComparison.Ordinal);
        if (our >= 2 && Array.IndexOf(AfterOur, word[(our + 3)..]) >= 0) return string.Concat(word.AsSpan(0, our), "or", word.AsSpan(our + 3));
        foreach (var (british, us) in IseEndings)
            if (word.Length - british.Length >= MinimumIseStem && word.EndsWith(british, StringComparison.Ordinal))
                return string.Concat(word.AsSpan(0, word.Length - british.Length), us);
        // -tre/-bre ("centre", "metre", "theatre", "fibre", "sombre"; not "acre", "genre", "ogre"): no American word ends so.
        var end = word.Length - (word.EndsWith('s') ? 1 : 0);
        if (end >= 5 && word[end - 1] == 'e' && word[end - 2] == 'r' && word[end - 3] is 't' or 'b')
            return string.Concat(word.AsSpan(0, end - 2), "er", word.AsSpan(end));
        return word;
    }

    /// <summary>The form recognition compares: the American spelling, stemmed ("cancelled"/"canceled"/"cancelling" → "cancel").</summary>
    public static string Stem(string word) => PorterStemmer.Stem(ToAmerican(word));
}
