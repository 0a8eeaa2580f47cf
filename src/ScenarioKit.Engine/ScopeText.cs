using System.Globalization;

namespace ScenarioKit.Engine;

/// <summary>Why a message was out of scope, in words, for <c>chat /explain</c> and the test runner's output.</summary>
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
}
