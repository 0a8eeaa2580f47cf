using System.Collections.Immutable;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Language.Syntax;
using ScenarioKit.Model;

namespace ScenarioKit.Language.Binding;

internal sealed partial class Binder
{
    static readonly string[] HttpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    ImmutableArray<ActionDef> BindActions(YamlNode? node)
    {
        if (node is null or ScalarNode { Kind: ScalarKind.Null } || Map(node, "actions") is not { } m) return [];
        var result = ImmutableArray.CreateBuilder<ActionDef>();
        foreach (var (key, value) in m.Entries)
        {
            var path = "actions." + key.Value;
            if (!CheckName(key, "action")) continue;
            if (Map(value, path) is not { } def) continue;
            CheckKeys(def, path, "http", "script", "params", "description");
            var hasHttp = def["http"] is not null;
            var hasScript = def["script"] is not null;
            if (hasHttp == hasScript)
            {
                d.Report(DiagnosticCatalog.NoMatchingForm, def.Span, Names.At(path),
                    new Localized("an action has exactly one of 'http' or 'script'", "アクションには 'http' か 'script' のどちらか 1 つを書きます"));
                continue;
            }
            var parameters = StringNodes(def, "params", path).Select(n => n.Value).ToImmutableArray();
            if (hasHttp)
            {
                c.HttpActions.Add(new HttpActionSite(key.Value, def["params"] is null ? null : parameters, key.Span));
                if (BindHttp(def["http"]!, path + ".http", key.Value) is { } http)
                    result.Add(new ActionDef(key.Value, http, null, key.Span));
            }
            else if (def["script"] is ScalarNode { IsString: true } script)
            {
                c.Scripts.Add(new ScriptSite(key.Value, script, parameters));
                result.Add(new ActionDef(key.Value, null, new ScriptAction(parameters, script.Value, script.Span), key.Span));
            }
            else TypeMismatch(def["script"]!, path + ".script", "string");
        }
        return result.ToImmutable();
    }

    HttpAction? BindHttp(YamlNode node, string path, string action)
    {
        if (Map(node, path) is not { } m) return null;
        CheckKeys(m, path, "method", "url", "headers", "body", "timeoutMs", "retries", "result");
        var method = OneOf(m, "method", path, HttpMethods) is { } mt ? Enum.Parse<HttpMethodKind>(mt, ignoreCase: true) : HttpMethodKind.Get;
        var urlNode = Required(m, "url", path);
        var url = urlNode is null ? null : BindTemplate(urlNode, path + ".url", ExprScope.Action, action);
        // A URL starting with a hole ("${base}/orders") is checked at run time; a literal start must be absolute http(s).
        if (url is not null && url.Parts.FirstOrDefault() is { Text: { } first }
            && !first.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && !first.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            d.Report(DiagnosticCatalog.InvalidValue, urlNode!.Span, Names.At(path + ".url"), url.Source, new Localized("absolute http(s) URL", "http(s) の絶対 URL"));
        var headers = ImmutableArray.CreateBuilder<Header>();
        if (Optional(m, "headers") is { } hn && Map(hn, path + ".headers") is { } hm)
            foreach (var (k, v) in hm.Entries)
                if (BindTemplate(v, $"{path}.headers.{k.Value}", ExprScope.Action, action, acceptScalars: true) is { } t) headers.Add(new Header(k.Value, t));
        var body = Optional(m, "body") is { } bn ? BindTemplate(bn, path + ".body", ExprScope.Action, action) : null;
        var timeout = Integer(m, "timeoutMs", path, 1, 60000) ?? 5000;
        var retries = Integer(m, "retries", path, 0, 5) ?? 0;
        if (url is null) return null;
        return new HttpAction(method, url, headers.ToImmutable(), body, (int)timeout, (int)retries, StringOf(m, "result", path), m.Span);
    }

    HandoffDef BindHandoff(YamlNode? node)
    {
        if (node is null or ScalarNode { Kind: ScalarKind.Null } || Map(node, "handoff") is not { } m) return HandoffDef.Empty;
        CheckKeys(m, "handoff", "say", "queues", "rules", "outOfHours", "share", "waiting", "onTimeout");
        var say = Optional(m, "say") is { } sn ? BindMessage(sn, "handoff.say", null) : null;

        var queues = ImmutableArray.CreateBuilder<QueueDef>();
        if (Optional(m, "queues") is { } qn && Map(qn, "handoff.queues") is { } qm)
            foreach (var (key, value) in qm.Entries)
            {
                var path = "handoff.queues." + key.Value;
                if (!CheckName(key, "queue")) continue;
                if (Map(value, path) is not { } q) continue;
                CheckKeys(q, path, "hours", "timezone", "description", "maxWait", "assignment", "canned", "closed", "outOfHours");
                var hours = StringOf(q, "hours", path);
                ImmutableArray<OpeningWindow> windows = [];
                if (hours is not null)
                {
                    if (HoursParser.TryParse(hours, out var parsed, out var error)) windows = parsed;
                    else d.Report(DiagnosticCatalog.InvalidHours, q["hours"]!.Span, hours, error!);
                }
                var tz = StringOf(q, "timezone", path) ?? "UTC";
                if (q["timezone"] is { } tzNode && !TimeZones.Exists(tz))
                    d.Report(DiagnosticCatalog.UnknownTimeZone, tzNode.Span, tz, Localized.DidYouMean(TimeZones.Suggest(tz)));
                queues.Add(new QueueDef(key.Value, hours, windows, tz, key.Span)
                {
                    MaxWait = BindMaxWait(q, path),
                    Assignment = OneOf(q, "assignment", path, ["auto", "pick"]) == "pick" ? QueueAssignment.Pick : QueueAssignment.Auto,
                    Canned = BindCanned(q, path, key.Value),
                    Closed = BindClosed(q, path),
                    OutOfHours = BindOutOfHours(q, path + ".outOfHours"),
                });
                if (hours is null && q["closed"] is null && q.KeyOf("outOfHours") is { } unused)
                    // unit test: Golden/handoff/queue-out-of-hours-never-used.yaml
                    d.Report(DiagnosticCatalog.OutOfHoursNeverUsed, unused.Span, key.Value);
            }

        var rules = ImmutableArray.CreateBuilder<HandoffRule>();
        if (Optional(m, "rules") is { } rn && Seq(rn, "handoff.rules") is { } rs)
            for (var i = 0; i < rs.Items.Count; i++)
            {
                var path = $"handoff.rules[{i}]";
                if (Map(rs.Items[i], path) is not { } r) continue;
                CheckKeys(r, path, "id", "when", "to", "say", "offer", "priority");
                var id = RequiredString(r, "id", path);
                string? intent = null;
                Expression? when = null;
                if (Required(r, "when", path) is { } wn)
                {
                    if (wn is MappingNode wm)
                    {
                        CheckKeys(wm, path + ".when", "intent");
                        intent = RequiredString(wm, "intent", path + ".when");
                        if (intent is not null) c.References.Add(new Reference(RefKind.Intent, intent, wm["intent"]!.Span));
                    }
                    else when = BindCondition(wn, path + ".when", ExprScope.General);
                }
                var to = RequiredString(r, "to", path);
                if (to is not null) c.References.Add(new Reference(RefKind.Queue, to, r["to"]!.Span));
                var rsay = Optional(r, "say") is { } rsn ? BindMessage(rsn, path + ".say", null) : null;
                var offer = BindOffer(r, path);
                if (id is null || to is null || (intent is null && when is null)) continue;
                rules.Add(new HandoffRule(id, intent, when, to, rsay, offer, r["id"]!.Span) { Priority = Priority(r, path) });
            }

        var outOfHours = BindOutOfHours(m, "handoff.outOfHours");

        OnTimeout? onTimeout = null;
        if (Optional(m, "onTimeout") is { } tn && Map(tn, "handoff.onTimeout") is { } tm)
        {
            CheckKeys(tm, "handoff.onTimeout", "say", "offer");
            var tsay = Optional(tm, "say") is { } ts ? BindMessage(ts, "handoff.onTimeout.say", null) : null;
            onTimeout = new OnTimeout(tsay, BindOffer(tm, "handoff.onTimeout"), tm.Span);
        }
        // unit test: Golden/handoff/queue-outside-waiting.yaml (queue.* is only in scope here)
        var waiting = Optional(m, "waiting") is { } wn2 ? BindMessage(wn2, "handoff.waiting", null, ExprScope.Waiting) : null;

        var share = ImmutableArray.CreateBuilder<SharedValue>();
        switch (Optional(m, "share"))
        {
            case SequenceNode ss:
                for (var i = 0; i < ss.Items.Count; i++)
                    if (Str(ss.Items[i], $"handoff.share[{i}]") is { } v)
                    {
                        c.References.Add(new Reference(RefKind.Variable, v, ss.Items[i].Span));
                        share.Add(new SharedValue(v, v, ss.Items[i].Span));
                    }
                break;
            case MappingNode sm:
                foreach (var (k, v) in sm.Entries)
                    if (Str(v, "handoff.share." + k.Value) is { } name)
                    {
                        c.References.Add(new Reference(RefKind.Variable, name, v.Span));
                        share.Add(new SharedValue(k.Value, name, k.Span));
                    }
                break;
            case { } other:
                d.Report(DiagnosticCatalog.TypeMismatch, other.Span, Names.At("handoff.share"), Names.Either([Names.TypeName("list"), Names.TypeName("mapping")]), Names.TypeName(other.KindName));
                break;
        }
        return new HandoffDef(queues.ToImmutable(), rules.ToImmutable(), outOfHours, share.ToImmutable(), say, m.Span)
        {
            Waiting = waiting,
            OnTimeout = onTimeout,
        };
    }

    /// <summary>30 seconds to 24 hours: shorter gives an agent no time to accept, longer leaves a customer waiting for nobody.</summary>
    internal static readonly TimeSpan MinMaxWait = TimeSpan.FromSeconds(30);
    internal static readonly TimeSpan MaxMaxWait = TimeSpan.FromHours(24);

    TimeSpan? BindMaxWait(MappingNode q, string path)
    {
        if (Optional(q, "maxWait") is not { } node) return null;
        if (node is not ScalarNode { IsString: true } s || !DurationParser.TryParse(s.Value, out var wait))
        {
            d.Report(DiagnosticCatalog.InvalidDuration, node.Span, Text(node));
            return null;
        }
        if (wait < MinMaxWait || wait > MaxMaxWait)
        {
            // unit test: Golden/handoff/max-wait-range.yaml
            d.Report(DiagnosticCatalog.MaxWaitRange, node.Span, s.Value);
            return null;
        }
        return wait;
    }

    ImmutableArray<CannedResponse> BindCanned(MappingNode q, string path, string queue)
    {
        if (Optional(q, "canned") is not { } node || Seq(node, path + ".canned") is not { } seq) return [];
        var result = ImmutableArray.CreateBuilder<CannedResponse>();
        var titles = new Dictionary<string, Model.SourceSpan>(StringComparer.Ordinal);
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var ip = $"{path}.canned[{i}]";
            if (Map(seq.Items[i], ip) is not { } cm) continue;
            CheckKeys(cm, ip, "title", "text");
            var title = RequiredString(cm, "title", ip);
            var text = RequiredString(cm, "text", ip);
            if (title is null || text is null) continue;
            var span = cm["title"]!.Span;
            if (titles.TryGetValue(title, out var first))
            {
                // unit test: Golden/handoff/duplicate-canned-title.yaml
                d.ReportRelated(DiagnosticCatalog.DuplicateCannedTitle, span, first, title, queue, first);
                continue;
            }
            titles[title] = span;
            result.Add(new CannedResponse(title, text, span));
        }
        return result.ToImmutable();
    }
}
