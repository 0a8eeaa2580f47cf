using ScenarioKit.Model;

namespace ScenarioKit.Insight.Privacy;

/// <summary>
/// What a report may show of a customer's text: an answer to an ask whose variable is personal data is hidden whole;
/// any other text keeps its words but loses e-mail addresses and phone numbers. Applied as texts are read, so the
/// report never holds an unmasked value it could leak.
/// </summary>
public sealed class TextMasking(bool enabled, Func<VariableDef, bool> isPii)
{
    /// <summary>What replaces an answer to a personal-data ask.</summary>
    public const string Hidden = "[personal data]";

    public static TextMasking Off { get; } = new(false, _ => false);

    public bool Enabled => enabled;

    /// <summary>The text as a report shows it; <paramref name="answered"/> is the variable the text answered, if any.</summary>
    public string Apply(string text, VariableDef? answered)
    {
        if (!enabled) return text;
        if (answered is not null && isPii(answered)) return Hidden;
        return ContactMasker.Mask(text);
    }
}

/// <summary>Reads the scenario's personal-data marking (<c>pii: true</c> on a variable).</summary>
public static class PiiVariables
{
    /// <summary>Whether a variable holds personal data (the one place reports read the marking).</summary>
    public static bool IsPii(VariableDef variable) => variable.Pii;
}
