using System.Collections.Frozen;

namespace ScenarioKit.Model.Text;

/// <summary>
/// The inflectional part of the Porter2 ("English") stemmer of the Snowball project
/// (snowballstem.org/algorithms/english/stemmer.html), written from its published description: its exceptions,
/// regions R1 and R2, steps 1a-1c (plurals, -ed/-ing with the e and doubled consonant they leave, y → i) and step 5
/// (a final e or double l), so "orders"/"ordered"/"ordering" → "order", "charge"/"charges"/"charged" → "charg",
/// "cancelled"/"canceled"/"cancelling" → "cancel", "hoped" → "hope" but "hopped" → "hop", "replies"/"replied" →
/// "repli". Its derivational steps 2-4 ("connection" → "connect", "arrival" → "arriv") are left out: measured on the
/// English samples they gained nothing and let an out-of-scope message through, since shorter stems leave less of an
/// unknown word to count against the intent (docs/engine.md "Tried and not kept", session 6). The stems are not
/// words; they only have to agree. Written here rather than taken from Lucene.Net's <c>EnglishStemmer</c>: that one
/// brings 7.5 MB of assemblies into the model every package loads, runs all the steps, and its stemmer object is
/// mutable, so each thread would need its own. Expects a lower-case word of letters a-z; anything else is returned
/// unchanged.
/// </summary>
public static class PorterStemmer
{
    static readonly FrozenDictionary<string, string> Exceptions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["skis"] = "ski", ["skies"] = "sky", ["dying"] = "die", ["lying"] = "lie", ["tying"] = "tie",
        ["idly"] = "idl", ["gently"] = "gentl", ["ugly"] = "ugli", ["early"] = "earli", ["only"] = "onli", ["singly"] = "singl",
        ["sky"] = "sky", ["news"] = "news", ["howe"] = "howe", ["atlas"] = "atlas", ["cosmos"] = "cosmos", ["bias"] = "bias", ["andes"] = "andes",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Words left as they are after step 1a (their -ing/-ed is not an inflection).</summary>
    static readonly FrozenSet<string> AfterStep1a = new[]
    {
        "inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed",
    }.ToFrozenSet(StringComparer.Ordinal);

    static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> AfterStep1aBySpan = AfterStep1a.GetAlternateLookup<ReadOnlySpan<char>>();

    public static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length <= 2 || !IsPlainWord(word)) return word;
        if (Exceptions.TryGetValue(word, out var exception)) return exception;
        var w = new Word(word);
        w.Step1a();
        if (AfterStep1aBySpan.Contains(w.Letters)) return w.ToString();
        w.Step1b();
        w.Step1c();
        w.Step5();
        return w.ToString().Replace('Y', 'y');
    }

    static bool IsPlainWord(string word)
    {
        foreach (var c in word)
            if (c is < 'a' or > 'z') return false;
        return true;
    }

    /// <summary>The word being stemmed: its letters ('Y' is a consonant y) and the regions R1 and R2.</summary>
    sealed class Word
    {
        readonly char[] _b;
        int _length;
        readonly int _r1;
        readonly int _r2;

        public Word(string word)
        {
            _b = word.ToCharArray();
            _length = _b.Length;
            // A y at the start or after a vowel is a consonant.
            for (var i = 0; i < _length; i++)
                if (_b[i] == 'y' && (i == 0 || IsVowel(_b[i - 1]))) _b[i] = 'Y';
            _r1 = word.StartsWith("gener", StringComparison.Ordinal) || word.StartsWith("arsen", StringComparison.Ordinal) ? 5
                : word.StartsWith("commun", StringComparison.Ordinal) ? 6
                : RegionAfter(0);
            _r2 = RegionAfter(_r1);
        }

        public ReadOnlySpan<char> Letters => _b.AsSpan(0, _length);

        public override string ToString() => new(_b, 0, _length);

        static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';

        /// <summary>The position after the first non-vowel that follows a vowel, from <paramref name="from"/>.</summary>
        int RegionAfter(int from)
        {
            for (var i = from + 1; i < _length; i++)
                if (!IsVowel(_b[i]) && IsVowel(_b[i - 1])) return i + 1;
            return _length;
        }

        bool EndsWith(string suffix) =>
            suffix.Length <= _length && suffix.AsSpan().SequenceEqual(_b.AsSpan(_length - suffix.Length, suffix.Length));

        void Replace(int suffixLength, string with)
        {
            _length -= suffixLength;
            foreach (var c in with) _b[_length++] = c;
        }

        bool HasVowel(int end)
        {
            for (var i = 0; i < end; i++)
                if (IsVowel(_b[i])) return true;
            return false;
        }

        /// <summary>
        /// A short syllable ends at <paramref name="end"/> (exclusive): non-vowel, vowel, non-vowel other than w, x, Y;
        /// or, at the start of the word, vowel then non-vowel.
        /// </summary>
        bool EndsInShortSyllable(int end)
        {
            if (end >= 3 && !IsVowel(_b[end - 3]) && IsVowel(_b[end - 2]) && !IsVowel(_b[end - 1]) && _b[end - 1] is not ('w' or 'x' or 'Y'))
                return true;
            return end == 2 && IsVowel(_b[0]) && !IsVowel(_b[1]);
        }

        static bool IsDouble(char a, char b) => a == b && a is 'b' or 'd' or 'f' or 'g' or 'm' or 'n' or 'p' or 'r' or 't';

        public void Step1a()
        {
            if (EndsWith("sses")) Replace(4, "ss");
            else if (EndsWith("ied") || EndsWith("ies")) Replace(3, _length > 4 ? "i" : "ie");
            else if (EndsWith("us") || EndsWith("ss")) { }
            else if (EndsWith("s") && _length >= 3 && HasVowel(_length - 2)) _length--;
        }

        public void Step1b()
        {
            if (EndsWith("eedly") || EndsWith("eed"))
            {
                var n = EndsWith("eedly") ? 5 : 3;
                if (_length - n >= _r1) Replace(n, "ee");
                return;
            }
            var suffix = EndsWith("ingly") ? 5 : EndsWith("edly") ? 4 : EndsWith("ing") ? 3 : EndsWith("ed") ? 2 : 0;
            if (suffix == 0 || !HasVowel(_length - suffix)) return;
            _length -= suffix;
            if (EndsWith("at") || EndsWith("bl") || EndsWith("iz")) Replace(0, "e");
            else if (_length >= 2 && IsDouble(_b[_length - 1], _b[_length - 2])) _length--;
            else if (_r1 >= _length && EndsInShortSyllable(_length)) Replace(0, "e");
        }

        public void Step1c()
        {
            if (_length > 2 && _b[_length - 1] is 'y' or 'Y' && !IsVowel(_b[_length - 2])) _b[_length - 1] = 'i';
        }

        public void Step5()
        {
            if (EndsWith("e"))
            {
                var stem = _length - 1;
                if (stem >= _r2 || (stem >= _r1 && !EndsInShortSyllable(stem))) _length = stem;
            }
            else if (EndsWith("ll") && _length - 1 >= _r2) _length--;
        }
    }
}
