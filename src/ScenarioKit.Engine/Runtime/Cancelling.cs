using System.Text.RegularExpressions;
using ScenarioKit.Engine.Text;
using ScenarioKit.Model;

namespace ScenarioKit.Engine.Runtime;

/// <summary>
/// The words that cancel a waiting form (docs/language.md "Cancel"): the built-in Japanese and English ones,
/// the scenario's <c>cancel.patterns</c> and <c>cancel.intent</c>. Built once per package.
/// </summary>
internal sealed partial class Cancelling
{
    readonly bool _builtIn;
    readonly Regex[] _patterns;

    Cancelling(bool enabled, bool builtIn, Regex[] patterns, string? intent, Message? say)
    {
        Enabled = enabled;
        _builtIn = builtIn;
        _patterns = patterns;
        Intent = intent;
        Say = say;
    }

    public static Cancelling Create(CancelDef? def, RuntimeOptions options, List<RuntimeError> errors)
    {
        if (def is null) return new Cancelling(true, true, [], null, null);
        var patterns = new List<Regex>(def.Patterns.Length);
        foreach (var p in def.Patterns)
        {
            try
            {
                patterns.Add(new Regex(p, MatchText.PatternOptions, options.RegexTimeout));
            }
            catch (ArgumentException e)
            {
                errors.Add(new RuntimeError($"cancel pattern '{p}' is not a valid regular expression: {e.Message}", def.Span));
            }
        }
        return new Cancelling(!def.Disabled, def.BuiltIn, [.. patterns], def.Intent, def.Say);
    }

    public bool Enabled { get; }

    /// <summary>An intent whose recognition (on digression evidence) also cancels.</summary>
    public string? Intent { get; }

    /// <summary>The scenario's cancel message; null: the built-in one.</summary>
    public Message? Say { get; }

    /// <summary>Whether the folded message is a cancel phrase: the built-in words must be the whole message, the scenario's patterns are searched.</summary>
    public bool Matches(string folded)
    {
        if (!Enabled) return false;
        if (_builtIn && IsMatch(BuiltInWords(), folded)) return true;
        foreach (var p in _patterns)
            if (IsMatch(p, folded)) return true;
        return false;
    }

    /// <summary>A regex that times out on a message even after the linear retry (<see cref="LinearRetry"/>) does not match it: the message is then ordinary input.</summary>
    public static bool IsMatch(Regex regex, string text)
    {
        try
        {
            return LinearRetry.IsMatch(regex, text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    // The whole message, so that "注文をキャンセルしたい" (an intent in a shop) or "stop sending e-mails" is not
    // a form's cancel. Polite lead-ins and endings are allowed; "いいです" alone is a yes, so it needs もう/やっぱり.
    [GeneratedRegex("""
        ^(?:(?:もう|やっぱり?|やはり|じゃあ|では|えっと|あの|すみません|すいません|ok|okay|oh|um|actually|no|sorry)[、,\s]*)*
        (?:やめ(?:ます|る|たい(?:です)?|ておきます|とき(?:ます)?|とく|よう|て(?:ください)?)
          |(?:もう|やっぱり?|やはり)[、,\s]*(?:いい(?:です)?|結構です)(?:よ)?
          |キャンセル(?:したい(?:です)?|します|する|して(?:ください)?|で(?:お願いします)?|お願いします)?
          |中止(?:します|したい(?:です)?|して(?:ください)?|で(?:お願いします)?)?
          |取り?(?:消し|やめ)(?:ます|たい(?:です)?|て(?:ください)?)?
          |cancel(?:\s+(?:it|that|this))?|stop(?:\s+it)?|never\s*mind|forget\s+(?:about\s+)?it|quit|abort|exit
          |i(?:\s+want|\s+would\s+like|'d\s+like)\s+to\s+(?:cancel|stop)|let'?s\s+stop|i\s+changed\s+my\s+mind|don'?t\s+bother)
        (?:[\s,]*please)?[\s。.!！~〜…]*$
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant, 100)]
    private static partial Regex BuiltInWords();
}
