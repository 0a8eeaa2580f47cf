using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ScenarioKit.Hub.Audit;
using ScenarioKit.Hub.Queue;
using ScenarioKit.Hub.Storage;
using ScenarioKit.Insight;
using ScenarioKit.Insight.Rendering;
using ScenarioKit.Storage;

namespace ScenarioKit.Server.Agent;

/// <summary>
/// <c>GET /insight</c> (served at <c>/agent/insight</c>, where the console's sign-in cookie is sent): the report of <c>scenariokit report</c> over this server's store, for supervisors and admins
/// signed in to the agent console (agents get 403). Query parameters are the CLI's filters: <c>scenario</c>,
/// <c>version</c>, <c>from</c>, <c>to</c>, <c>sessionTimeout</c> (minutes), <c>failUnder</c> (percent), <c>compare</c>
/// (<c>a..b</c>), <c>format</c> (<c>html</c> or <c>json</c>); <c>mask=off</c> is for admins only and is audited. The page
/// has no script and one style block, so the policy allows exactly that block's hash.
/// </summary>
internal static class InsightEndpoint
{
    public const string ShortPath = "/insight";
    public const string Path = "/agent/insight";

    static readonly string StyleHash = "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(HtmlReportWriter.StyleSheet)));

    public static void Map(WebApplication app)
    {
        app.MapGet(Path, (Delegate)ReportAsync);
        app.MapGet(ShortPath, (HttpContext context) => Results.Redirect(Path + context.Request.QueryString));
    }

    static async Task<IResult> ReportAsync(HttpContext context)
    {
        if (AgentAuth.Login(context.User) is not { } login)
            return Results.Redirect(AgentPageEndpoints.LoginPath + "?returnUrl=" + Uri.EscapeDataString(context.Request.Path + context.Request.QueryString));
        var hub = context.RequestServices.GetRequiredService<ScenarioKit.Hub.Cluster.IHubOperations>();
        var account = await hub.RefreshAccountAsync(login, context.RequestAborted);
        if (account.Disabled || !account.IsSupervisor) return Results.Problem("Only supervisors and admins can see the insight report.", statusCode: StatusCodes.Status403Forbidden);

        var query = context.Request.Query;
        var unmasked = string.Equals(query["mask"], "off", StringComparison.OrdinalIgnoreCase);
        if (unmasked && account.Role != Hub.Accounts.AgentRole.Admin)
            return Results.Problem("Only admins can see customer text unmasked.", statusCode: StatusCodes.Status403Forbidden);
        if (!TryRequest(query, out var filter, out var options, out var compare, out var error))
            return Results.Problem(error, statusCode: StatusCodes.Status400BadRequest);
        options = options with { Mask = !unmasked };

        var store = context.RequestServices.GetRequiredService<IHubStore>();
        if (unmasked)
            await store.AppendAuditAsync(new AuditRecord(0, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), login, AuditActions.ReportUnmasked, null, null, "/insight" + context.Request.QueryString), context.RequestAborted);
        var builder = new InsightReportBuilder(context.RequestServices.GetRequiredService<ITurnLog>(), context.RequestServices.GetRequiredService<IPackageArchive>(), store);
        var report = compare is { } versions
            ? await builder.CompareAsync(filter, versions.From, versions.To, options, context.RequestAborted)
            : await builder.BuildAsync(filter, options, context.RequestAborted);

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = $"default-src 'none'; style-src '{StyleHash}'; img-src data:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        return string.Equals(query["format"], "json", StringComparison.OrdinalIgnoreCase)
            ? Results.Text(JsonReportWriter.Write(report), "application/json; charset=utf-8", Encoding.UTF8)
            : Results.Text(HtmlReportWriter.Write(report), "text/html; charset=utf-8", Encoding.UTF8);
    }

    static bool TryRequest(IQueryCollection query, out ReportFilter filter, out InsightOptions options, out (string From, string To)? compare, out string error)
    {
        filter = new ReportFilter();
        options = new InsightOptions();
        compare = null;
        error = "";
        DateTimeOffset? from = null, to = null;
        if (!TryTime(query["from"], ref from) || !TryTime(query["to"], ref to))
        {
            error = "from and to are dates or ISO 8601 times (2026-04-01, 2026-04-01T09:00:00+09:00).";
            return false;
        }
        filter = new ReportFilter(Value(query["scenario"]), Value(query["version"]), from, to);
        if (Value(query["sessionTimeout"]) is { } minutes)
        {
            if (!double.TryParse(minutes, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) || m <= 0 || m > 7 * 24 * 60)
            {
                error = "sessionTimeout is a number of minutes (e.g. 30).";
                return false;
            }
            options = options with { SessionTimeout = TimeSpan.FromMinutes(m) };
        }
        if (Value(query["failUnder"]) is { } percent)
        {
            if (!double.TryParse(percent, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) || p is <= 0 or > 100)
            {
                error = "failUnder is a percentage above 0 and at most 100 (e.g. 85).";
                return false;
            }
            options = options with { Target = p / 100 };
        }
        if (Value(query["compare"]) is { } range)
        {
            var parts = range.Split("..");
            if (parts.Length != 2 || parts.Any(string.IsNullOrWhiteSpace))
            {
                error = "compare is two versions such as 1.0.0..1.1.0.";
                return false;
            }
            compare = (parts[0].Trim(), parts[1].Trim());
        }
        return true;
    }

    static string? Value(Microsoft.Extensions.Primitives.StringValues value) => string.IsNullOrWhiteSpace(value) ? null : value.ToString().Trim();

    static bool TryTime(Microsoft.Extensions.Primitives.StringValues value, ref DateTimeOffset? time)
    {
        if (Value(value) is not { } text) return true;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)) return false;
        time = parsed;
        return true;
    }
}
