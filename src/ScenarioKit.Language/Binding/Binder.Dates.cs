using System.Collections.Immutable;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Language.Syntax;
using ScenarioKit.Model;

namespace ScenarioKit.Language.Binding;

/// <summary>Date rules on asks, validate rules and queue calendars (issue 11; docs/language.md "Validating answers", "Queue calendars").</summary>
internal sealed partial class Binder
{
    static readonly string[] WeekdayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>The bounds of an answer: numbers for number and text kinds, dates for date kinds; none for kinds without order.</summary>
    (double? Min, double? Max, DateConstraints? Dates) BindBounds(MappingNode m, string path, ExpectKind kind)
    {
        var isDate = kind is ExpectKind.Date or ExpectKind.DateTime;
        foreach (var key in (string[])["min", "max"])
            if (!isDate && kind is not (ExpectKind.Text or ExpectKind.Pattern or ExpectKind.Number or ExpectKind.Integer) && m[key] is { } bn)
            {
                // unit test: Golden/flow/bound-without-order.yaml
                d.Report(DiagnosticCatalog.BoundWithoutOrder, bn.Span, key, KindName(kind));
                return (null, null, null);
            }
        foreach (var key in (string[])["future", "past", "weekdays"])
            if (!isDate && m.KeyOf(key) is { } rule)
                // unit test: Golden/flow/date-rule-on-number.yaml
                d.Report(DiagnosticCatalog.DateRuleOnOtherKind, rule.Span, key, KindName(kind));
        if (!isDate)
        {
            if (StringBound(m, "min", kind) || StringBound(m, "max", kind)) return (null, null, null);
            var min = Number(m, "min", path, null, null);
            var max = Number(m, "max", path, null, null);
            if (min is { } lo && max is { } hi && lo > hi) d.Report(DiagnosticCatalog.MinGreaterThanMax, m["min"]!.Span, lo, hi);
            return (min, max, null);
        }
        var minDate = DateBoundOf(m, "min", kind);
        var maxDate = DateBoundOf(m, "max", kind);
        if (minDate is not null && maxDate is not null && DateLiterals.IsAfter(minDate, maxDate))
            // unit test: Golden/flow/date-min-after-max.yaml
            d.Report(DiagnosticCatalog.DateMinAfterMax, m["min"]!.Span, DateLiterals.Describe(minDate), DateLiterals.Describe(maxDate));
        var future = Bool(m, "future", path) ?? false;
        var past = Bool(m, "past", path) ?? false;
        if (future && past)
            // unit test: Golden/flow/future-and-past.yaml
            d.Report(DiagnosticCatalog.FutureAndPast, m.KeyOf("past")!.Span);
        var weekdays = ImmutableArray.CreateBuilder<DayOfWeek>();
        foreach (var day in StringNodes(m, "weekdays", path))
        {
            var index = Array.IndexOf(WeekdayNames, day.Value);
            // unit test: Golden/flow/unknown-weekday.yaml
            if (index < 0) d.Report(DiagnosticCatalog.UnknownWeekday, day.Span, day.Value, Localized.DidYouMean(Suggest.Closest(day.Value.ToLowerInvariant(), WeekdayNames)));
            else weekdays.Add((DayOfWeek)index);
        }
        var any = minDate is not null || maxDate is not null || future || past || weekdays.Count > 0;
        return (null, null, any ? new DateConstraints(minDate, maxDate, future, past, weekdays.ToImmutable()) : null);
    }

    /// <summary>A text bound on a kind that takes numbers: reported (SK3057), true.</summary>
    bool StringBound(MappingNode m, string key, ExpectKind kind)
    {
        if (m[key] is not ScalarNode { Kind: ScalarKind.String } s) return false;
        // unit test: Golden/flow/date-bound-on-number.yaml
        d.Report(DiagnosticCatalog.BoundKindMismatch, s.Span, key, s.Value, KindName(kind), new Localized("give a number", "数値を書きます"));
        return true;
    }

    DateBound? DateBoundOf(MappingNode m, string key, ExpectKind kind)
    {
        if (Optional(m, key) is not { } node) return null;
        if (node is not ScalarNode { Kind: ScalarKind.String } s)
        {
            d.Report(DiagnosticCatalog.BoundKindMismatch, node.Span, key, Text(node), KindName(kind),
                new Localized("give a date (2026-12-05), today, or days from today (+30d, -1d)", "日付（2026-12-05）、today、今日からの日数（+30d、-1d）を書きます"));
            return null;
        }
        if (DateLiterals.TryParseBound(s.Value, out var bound)) return bound;
        // unit test: Golden/flow/bad-date-bound.yaml
        d.Report(DiagnosticCatalog.InvalidDate, s.Span, s.Value, DateLiterals.BoundName);
        return null;
    }

    static string KindName(ExpectKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary><c>validate</c>: an expression, <c>{ must, message }</c>, or a list of either; each sees the candidate answer as <c>value</c>.</summary>
    ImmutableArray<AnswerCheck> BindValidate(YamlNode node, string path)
    {
        var items = node is SequenceNode seq ? seq.Items : [node];
        var checks = ImmutableArray.CreateBuilder<AnswerCheck>();
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = node is SequenceNode ? $"{path}[{i}]" : path;
            var item = items[i];
            YamlNode? mustNode = item;
            Message? message = null;
            if (item is MappingNode cm)
            {
                CheckKeys(cm, itemPath, "must", "message");
                mustNode = Required(cm, "must", itemPath);
                message = Optional(cm, "message") is { } mn ? BindMessage(mn, itemPath + ".message", null, ExprScope.Retry) : null;
            }
            if (mustNode is null || BindCondition(mustNode, itemPath, ExprScope.Validate) is not { } must) continue;
            checks.Add(new AnswerCheck(must, message, item.Span));
        }
        return checks.ToImmutable();
    }

    /// <summary><c>closed</c>: whole days a queue is shut, checked for a bad date (SK3050) and a reversed dated range (SK3051).</summary>
    ImmutableArray<ClosedDates> BindClosed(MappingNode q, string path)
    {
        var result = ImmutableArray.CreateBuilder<ClosedDates>();
        foreach (var item in StringNodes(q, "closed", path))
        {
            if (DateLiterals.TryParseClosed(item.Value, out var closed, out var reversed)) result.Add(closed);
            // unit test: Golden/handoff/reversed-closed-range.yaml, Golden/handoff/bad-closed-date.yaml
            else if (reversed) d.Report(DiagnosticCatalog.ReversedDateRange, item.Span, item.Value);
            else d.Report(DiagnosticCatalog.InvalidDate, item.Span, item.Value, DateLiterals.ClosedName);
        }
        return result.ToImmutable();
    }

    OutOfHours? BindOutOfHours(MappingNode parent, string path)
    {
        if (Optional(parent, "outOfHours") is not { } on || Map(on, path) is not { } om) return null;
        CheckKeys(om, path, "say", "offer");
        var say = Optional(om, "say") is { } os ? BindMessage(os, path + ".say", null) : null;
        return new OutOfHours(say, BindOffer(om, path), om.Span);
    }
}
