using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ScenarioKit.Server.Tests.Infrastructure;

/// <summary>
/// A local stand-in for login.botframework.com: OpenID metadata, its signing keys (a fresh RSA key, with
/// endorsements), and a client-credentials token endpoint. The real hosts are unreachable here (§3).
/// </summary>
internal sealed class LocalIdentityProvider : IAsyncDisposable
{
    public const string Issuer = "https://api.botframework.com";
    readonly WebApplication _app;
    public RsaSecurityKey Key { get; } = new(RSA.Create(2048)) { KeyId = "test-key-1" };
    public Uri BaseAddress { get; }
    public ConcurrentQueue<string> TokenRequests { get; } = new();
    public const string IssuedAccessToken = "local-access-token-for-outgoing-calls";

    LocalIdentityProvider(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public string MetadataUrl => new Uri(BaseAddress, "/v1/.well-known/openidconfiguration").ToString();
    public string TokenEndpoint => new Uri(BaseAddress, "/oauth2/v2.0/token").ToString();

    public static async Task<LocalIdentityProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        LocalIdentityProvider? self = null;
        app.MapGet("/v1/.well-known/openidconfiguration", (HttpContext c) => Results.Json(new
        {
            issuer = Issuer,
            jwks_uri = $"http://{c.Request.Host}/v1/.well-known/keys",
            id_token_signing_alg_values_supported = new[] { "RS256" },
        }));
        app.MapGet("/v1/.well-known/keys", () =>
        {
            var p = self!.Key.Rsa.ExportParameters(false);
            return Results.Json(new
            {
                keys = new[]
                {
                    new { kty = "RSA", use = "sig", kid = self.Key.KeyId, n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent), endorsements = new[] { "msteams", "webchat" } },
                },
            });
        });
        app.MapPost("/oauth2/v2.0/token", async (HttpContext c) =>
        {
            var form = await c.Request.ReadFormAsync();
            self!.TokenRequests.Enqueue($"{form["grant_type"]}|{form["client_id"]}|{form["client_secret"]}|{form["scope"]}");
            return Results.Json(new { token_type = "Bearer", expires_in = 3600, access_token = IssuedAccessToken });
        });
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        self = new LocalIdentityProvider(app, address);
        return self;
    }

    public string CreateToken(string audience, string? serviceUrl, DateTime? expires = null, DateTime? notBefore = null, SecurityKey? key = null, string issuer = Issuer)
    {
        var claims = new Dictionary<string, object> { ["appid"] = "channel-app" };
        if (serviceUrl is not null) claims["serviceurl"] = serviceUrl;
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = (notBefore ?? now.AddMinutes(-1)),
            NotBefore = notBefore ?? now.AddMinutes(-1),
            Expires = expires ?? now.AddMinutes(30),
            Claims = claims,
            Subject = new ClaimsIdentity(),
            SigningCredentials = new SigningCredentials(key ?? Key, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>A channel's Connector endpoint (§2.2) that records what the bot sends it.</summary>
internal sealed class LocalChannel : IAsyncDisposable
{
    readonly WebApplication _app;
    public Uri BaseAddress { get; }
    public ConcurrentQueue<(string Path, string? Authorization, JsonElement Activity)> Received { get; } = new();

    LocalChannel(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public static async Task<LocalChannel> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        LocalChannel? self = null;
        app.MapPost("/v3/conversations/{**rest}", async (HttpContext c) =>
        {
            var activity = await JsonDocument.ParseAsync(c.Request.Body);
            var target = c.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget;
            if (target.Contains("/refuse/", StringComparison.Ordinal))
                return Results.Json(new { error = new { code = "ServiceUnavailable", message = "channel is down" } }, statusCode: 503);
            self!.Received.Enqueue((target, c.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null, activity.RootElement.Clone()));
            return Results.Json(new { id = "channel-" + Guid.NewGuid().ToString("N")[..8] });
        });
        await app.StartAsync();
        self = new LocalChannel(app, new Uri(app.Urls.First()));
        return self;
    }

    public string ServiceUrl => BaseAddress.ToString();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
