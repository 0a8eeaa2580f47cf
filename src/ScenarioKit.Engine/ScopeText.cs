using System.Globalization;

namespace ScenarioKit.Engine;

/// <summary>Why a message was out of scope, or why a rule gave way, in words, for <c>chat /explain</c> and the test runner's output.</summary>
public static class ScopeText
{
    /// <summary><c>67 % of its content unknown to the scenario (limit 50 %): jedi, year</c>.</summary>
    public static string English(ScopeAssessment scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var words = scope.UnknownWords.IsDefaultOrEmpty ? "" : ": " + string.Join(", ", scope.UnknownWords);
        return double.IsNaN(scope.UnknownShare) ? "not judged (no content word, or no examples to judge by)"
            : string.Create(CultureInfo.InvariantCulture, $"{scope.UnknownShare:0 %} of its content unknown to the scenario (limit {scope.Limit:0 %}){words}");
    }

    /// <summary><c>内容の 67 % がシナリオにない言葉（上限 50 %）：仕事、探</c>。</summary>
    public static string Japanese(ScopeAssessment scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var words = scope.UnknownWords.IsDefaultOrEmpty ? "" : "：" + string.Join("、", scope.UnknownWords);
        return double.IsNaN(scope.UnknownShare) ? "判定なし（内容語がないか、判定に使う例文がありません）"
            : string.Create(CultureInfo.InvariantCulture, $"内容の {scope.UnknownShare:0 %} がシナリオにない言葉（上限 {scope.Limit:0 %}）{words}");
    }

    /// <summary>
    /// <c>pattern "\bbill\b" of billing_question: the message nearly repeats an example of billing_dispute, "Dispute a charge on my bill"
    /// (0.93, from 0.90); decided by similarity</c>.
    /// </summary>
    public static string English(RuleGaveWay rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var (r, e) = (rule.Rule, rule.Repeated);
        var repeated = e.Evidence is null ? $"the examples of {e.Intent} as a whole"
            : e.Via == "example" ? $"an example of {e.Intent}, \"{e.Evidence}\"" : $"the keyword \"{e.Evidence}\" of {e.Intent}";
        return string.Create(CultureInfo.InvariantCulture,
            $"{r.Via} \"{r.Evidence}\" of {r.Intent}: the message nearly repeats {repeated} ({e.Score:0.00}, from {rule.Needed:0.00}); decided by similarity");
    }

    /// <summary><c>billing_question のパターン「\bbill\b」より、billing_dispute の例文「Dispute a charge on my bill」にほぼ同じ文であることを優先しました（0.93、0.90 以上）。類似度で判定します</c>。</summary>
    public static string Japanese(RuleGaveWay rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var (r, e) = (rule.Rule, rule.Repeated);
        var via = r.Via == "pattern" ? "パターン" : "キーワード";
        var repeated = e.Evidence is null ? $"{e.Intent} の例文全体" : e.Via == "example" ? $"{e.Intent} の例文「{e.Evidence}」" : $"{e.Intent} のキーワード「{e.Evidence}」";
        return string.Create(CultureInfo.InvariantCulture,
            $"{r.Intent} の{via}「{r.Evidence}」より、{repeated}にほぼ同じ文であることを優先しました（{e.Score:0.00}、{rule.Needed:0.00} 以上）。類似度で判定します");
    }
}
