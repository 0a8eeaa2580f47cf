using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace ScenarioKit.Server.Agent;

/// <summary>
/// The agent console's pages and assets (docs/agent-hub.md "Pages"): <c>GET /agent/login</c>, <c>GET /agent</c>,
/// <c>GET /agent/assets/{file}</c>. The pages are templates embedded in the assembly; every value put into them is
/// HTML-encoded here, and they carry no inline script or style, so the Content-Security-Policy can forbid both.
/// Sign-in, sign-out and the APIs live elsewhere; the caller registers cookie authentication and antiforgery.
/// </summary>
internal static class AgentPageEndpoints
{
    public const string LoginPath = "/agent/login";
    public const string ConsolePath = "/agent";

    const string ResourcePrefix = "ScenarioKit.Server.Agent.Console.";

    // Japanese stays readable in the page source; markup characters and quotes are still encoded.
    static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    static readonly Lazy<Asset> LoginTemplate = new(() => Asset.FromResource("login.html", "text/html; charset=utf-8"));
    static readonly Lazy<Asset> ConsoleTemplate = new(() => Asset.FromResource("console.html", "text/html; charset=utf-8"));
    static readonly Lazy<Asset> ConsoleScript = new(() => Asset.FromResource("console.js", "text/javascript; charset=utf-8"));
    static readonly Lazy<Asset> ConsoleStyle = new(() => Asset.FromResource("console.css", "text/css; charset=utf-8"));
    static readonly Lazy<Asset?> SignalRClient = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "wwwroot", "agent", "signalr.min.js");
        return File.Exists(path) ? new Asset(File.ReadAllBytes(path), "text/javascript; charset=utf-8") : null;
    });

    public static void Map(WebApplication app)
    {
        app.MapGet(LoginPath, (HttpContext context) =>
            LoginPage(context, context.Request.Query["error"].ToString(), context.Request.Query["returnUrl"].ToString()));
        app.MapGet(ConsolePath, ConsolePage);
        app.MapGet("/agent/assets/{file}", ServeAsset);
    }

    /// <summary>
    /// The sign-in page. <paramref name="error"/> is one of <see cref="LoginErrors"/> (shown in the page's language) or
    /// empty; the sign-in handler re-renders the page with it (or redirects to <c>/agent/login?error=…</c>).
    /// </summary>
    public static IResult LoginPage(HttpContext context, string? error, string? returnUrl, int statusCode = StatusCodes.Status200OK)
    {
        var lang = Language(context);
        var text = lang == "ja" ? LoginJa : LoginEn;
        var token = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context).RequestToken ?? "";
        var message = string.IsNullOrEmpty(error) ? "" : text.TryGetValue("error." + error, out var known) ? known : text["error.other"];
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["lang"] = lang,
            ["csrf"] = token,
            ["returnUrl"] = SafeReturnUrl(returnUrl),
            ["returnUrlQuery"] = Uri.EscapeDataString(SafeReturnUrl(returnUrl)),
            ["error"] = message,
            ["errorHidden"] = message.Length == 0 ? "hidden" : "",
            ["otherLang"] = lang == "ja" ? "en" : "ja",
            ["css"] = VersionedUrl("console.css", ConsoleStyle.Value),
        };
        foreach (var (key, value) in text) values["t." + key] = value;
        return Page(context, LoginTemplate.Value, values, statusCode);
    }

    /// <summary>The error codes the sign-in page knows (anything else shows a generic message, never the raw value).</summary>
    public static readonly IReadOnlyList<string> LoginErrors = ["invalid", "locked", "disabled", "rate_limited", "expired", "signed_out"];

    static IResult ConsolePage(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated != true)
        {
            var here = context.Request.Path + context.Request.QueryString;
            return Results.Redirect(LoginPath + "?returnUrl=" + Uri.EscapeDataString(here));
        }
        var token = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context).RequestToken ?? "";
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["lang"] = Language(context),
            ["csrf"] = token,
            ["css"] = VersionedUrl("console.css", ConsoleStyle.Value),
            ["js"] = VersionedUrl("console.js", ConsoleScript.Value),
            ["signalr"] = SignalRClient.Value is { } client ? VersionedUrl("signalr.min.js", client) : "/agent/assets/signalr.min.js",
        };
        return Page(context, ConsoleTemplate.Value, values, StatusCodes.Status200OK);
    }

    static IResult ServeAsset(HttpContext context, string file)
    {
        var asset = file switch
        {
            "console.js" => ConsoleScript.Value,
            "console.css" => ConsoleStyle.Value,
            "signalr.min.js" => SignalRClient.Value,
            _ => null,
        };
        if (asset is null)
        {
            return file == "signalr.min.js"
                ? Results.Text("// signalr.min.js was not bundled into this build (built with -p:SkipSignalRClient=true; rebuild without it).\n", "text/javascript; charset=utf-8", statusCode: 404)
                : Results.NotFound();
        }
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ETag = asset.ETag;
        // The pages link each asset with ?v=<hash>: that URL never changes content, so it may be cached for good;
        // anything else revalidates (ETag), so a deploy is picked up at once.
        headers.CacheControl = context.Request.Query["v"] == asset.Hash ? "public, max-age=31536000, immutable" : "no-cache";
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
            return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(asset.Content, asset.ContentType);
    }

    static IResult Page(HttpContext context, Asset template, Dictionary<string, string> values, int statusCode)
    {
        var html = Fill(Encoding.UTF8.GetString(template.Content), values);
        var headers = context.Response.Headers;
        var host = context.Request.Host.Value;
        // connect-src names the WebSocket origins too: 'self' covers ws: only in CSP Level 3 browsers.
        headers.ContentSecurityPolicy =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
            $"connect-src 'self' ws://{host} wss://{host}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        // The page carries an anti-forgery token: never from a cache.
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
        return Results.Text(html, "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }

    /// <summary>Replaces each <c>{{name}}</c> with the HTML-encoded value; an unknown name is a bug in the template.</summary>
    internal static string Fill(string template, IReadOnlyDictionary<string, string> values)
    {
        var output = new StringBuilder(template.Length + 512);
        var at = 0;
        while (true)
        {
            var open = template.IndexOf("{{", at, StringComparison.Ordinal);
            if (open < 0) break;
            var close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0) break;
            var name = template[(open + 2)..close];
            if (!values.TryGetValue(name, out var value))
                throw new InvalidOperationException($"The agent page template uses {{{{{name}}}}}, which has no value.");
            output.Append(template, at, open - at).Append(Html.Encode(value));
            at = close + 2;
        }
        return output.Append(template, at, template.Length - at).ToString();
    }

    /// <summary>Only a path on this server's console survives (no scheme, no <c>//host</c>, no backslash tricks): anything else becomes <c>/agent</c>.</summary>
    internal static string SafeReturnUrl(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl.Length > 2048) return ConsolePath;
        if (!returnUrl.StartsWith(ConsolePath, StringComparison.Ordinal)) return ConsolePath;
        var rest = returnUrl[ConsolePath.Length..];
        if (rest.Length > 0 && rest[0] is not ('/' or '?' or '#')) return ConsolePath;
        if (returnUrl.Contains("//", StringComparison.Ordinal) || returnUrl.Contains('\\', StringComparison.Ordinal) || returnUrl.Any(char.IsControl)) return ConsolePath;
        return returnUrl;
    }

    /// <summary><c>?lang=ja|en</c>, else the first of ja/en in Accept-Language by quality, else English.</summary>
    internal static string Language(HttpContext context)
    {
        var query = context.Request.Query["lang"].ToString();
        if (query is "ja" or "en") return query;
        var accepted = context.Request.GetTypedHeaders().AcceptLanguage;
        foreach (var language in accepted.OrderByDescending(l => l.Quality ?? 1.0))
        {
            var value = language.Value.Value ?? "";
            if (value.StartsWith("ja", StringComparison.OrdinalIgnoreCase)) return "ja";
            if (value.StartsWith("en", StringComparison.OrdinalIgnoreCase)) return "en";
        }
        return "en";
    }

    static string VersionedUrl(string file, Asset asset) => $"/agent/assets/{file}?v={asset.Hash}";

    // The sign-in page works without script, so its text is rendered here; the console's text lives in console.js.
    static readonly Dictionary<string, string> LoginEn = new(StringComparer.Ordinal)
    {
        ["title"] = "ScenarioKit agent sign-in",
        ["heading"] = "Agent console",
        ["login"] = "Login",
        ["password"] = "Password",
        ["submit"] = "Sign in",
        ["hint"] = "Accounts are issued by your administrator (scenariokit agents add).",
        ["otherLanguage"] = "日本語",
        ["error.invalid"] = "The login or the password is wrong.",
        ["error.locked"] = "Too many failed attempts: this account is locked for a while. Try again later or ask your administrator.",
        ["error.disabled"] = "This account is disabled. Ask your administrator.",
        ["error.rate_limited"] = "Too many sign-in attempts. Wait a minute and try again.",
        ["error.expired"] = "Your session has ended. Please sign in again.",
        ["error.signed_out"] = "You have signed out.",
        ["error.other"] = "Signing in did not work. Please try again.",
    };

    static readonly Dictionary<string, string> LoginJa = new(StringComparer.Ordinal)
    {
        ["title"] = "ScenarioKit オペレーター ログイン",
        ["heading"] = "オペレーター コンソール",
        ["login"] = "ログインID",
        ["password"] = "パスワード",
        ["submit"] = "ログイン",
        ["hint"] = "アカウントは管理者が発行します（scenariokit agents add）。",
        ["otherLanguage"] = "English",
        ["error.invalid"] = "ログインIDまたはパスワードが正しくありません。",
        ["error.locked"] = "ログインの失敗が続いたため、このアカウントは一時的にロックされています。しばらくしてから再度お試しいただくか、管理者にお問い合わせください。",
        ["error.disabled"] = "このアカウントは無効になっています。管理者にお問い合わせください。",
        ["error.rate_limited"] = "ログインの試行回数が多すぎます。1 分ほど待ってから再度お試しください。",
        ["error.expired"] = "セッションの有効期限が切れました。もう一度ログインしてください。",
        ["error.signed_out"] = "ログアウトしました。",
        ["error.other"] = "ログインできませんでした。もう一度お試しください。",
    };

    sealed class Asset(byte[] content, string contentType)
    {
        public byte[] Content { get; } = content;
        public string ContentType { get; } = contentType;
        public string Hash { get; } = Convert.ToHexStringLower(SHA256.HashData(content))[..16];
        public string ETag => "\"" + Hash + "\"";

        public static Asset FromResource(string name, string contentType)
        {
            using var stream = typeof(AgentPageEndpoints).Assembly.GetManifestResourceStream(ResourcePrefix + name)
                ?? throw new InvalidOperationException($"The embedded resource {ResourcePrefix + name} is missing from the build.");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return new Asset(buffer.ToArray(), contentType);
        }
    }
}
