using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Storage;
using ScenarioKit.Server.Hosting;
using ScenarioKit.Storage.PostgreSql;

namespace ScenarioKit.Server.Agent;

/// <summary>
/// Agent sign-in: a cookie session (HttpOnly, SameSite=Strict, sliding, <see cref="HubSettings.SessionLifetime"/>),
/// anti-forgery on every state-changing request, a per-address rate limit on the login form, and a check of the
/// account on every request (a disabled account or a reset password ends its sessions at once). Data-protection
/// keys live beside the database, so sessions survive a restart.
/// </summary>
internal static class AgentAuth
{
    public const string Scheme = "ScenarioKit.Agent";
    public const string LoginRateLimit = "agent-login";
    public const string CsrfHeader = "X-CSRF-TOKEN";
    const string StampClaim = "sk:stamp";

    public static string? Login(ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true ? user.FindFirstValue(ClaimTypes.NameIdentifier) : null;

    /// <summary>
    /// With PostgreSQL, makes the console's first sign-in key before the node listens, one node at a time (see
    /// <see cref="PostgresXmlRepository.RunExclusiveAsync"/>); later keys are made days before they take effect, so every
    /// node has loaded them by then.
    /// </summary>
    public static Task PrepareKeysAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetService<PostgresConversationStore>() is not { } store) return Task.CompletedTask;
        var keys = services.GetRequiredService<IKeyManager>();
        var time = services.GetRequiredService<TimeProvider>();
        return PostgresXmlRepository.RunExclusiveAsync(store.DataSource, () =>
        {
            var now = time.GetUtcNow();
            if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now.AddDays(2)))
                keys.CreateNewKey(now, now.AddDays(90));
        }, cancellationToken);
    }

    public static void AddServices(IServiceCollection services, ScenarioServerOptions options)
    {
        var dataProtection = services.AddDataProtection().SetApplicationName("ScenarioKit");
        if (options.Storage.Provider == StorageProvider.Postgres)
        {
            // Every node reads the same keys, so a console cookie or anti-forgery token from one node is good on all (docs/deploy.md).
            services.AddOptions<KeyManagementOptions>().Configure<PostgresConversationStore>((keys, store) => keys.XmlRepository = new PostgresXmlRepository(store.DataSource));
        }
        else
        {
            var keys = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.DatabasePath)) ?? ".", "scenariokit-keys");
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keys));
        }
        services.AddAuthentication(Scheme).AddCookie(Scheme, cookie =>
        {
            cookie.Cookie.Name = ".ScenarioKit.Agent";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.Cookie.Path = "/agent";
            cookie.ExpireTimeSpan = options.Hub.SessionLifetime;
            cookie.SlidingExpiration = true;
            cookie.LoginPath = "/agent/login";
            cookie.Events = new CookieAuthenticationEvents
            {
                // The API and the SignalR hub answer 401/403; only pages redirect to the sign-in form.
                OnRedirectToLogin = ctx => Deny(ctx, StatusCodes.Status401Unauthorized, "unauthorized", "Sign in as an agent first."),
                OnRedirectToAccessDenied = ctx => Deny(ctx, StatusCodes.Status403Forbidden, "forbidden", "Your role does not allow this."),
                OnValidatePrincipal = async ctx =>
                {
                    var login = Login(ctx.Principal);
                    var store = ctx.HttpContext.RequestServices.GetRequiredService<IHubStore>();
                    var account = login is null ? null : (await store.GetAgentAsync(login, ctx.HttpContext.RequestAborted))?.Account;
                    if (account is null || account.Disabled || account.SecurityStamp != ctx.Principal!.FindFirstValue(StampClaim))
                    {
                        ctx.RejectPrincipal();
                        await ctx.HttpContext.SignOutAsync(Scheme);
                    }
                },
            };
        });
        services.AddAuthorization();
        services.AddAntiforgery(a =>
        {
            a.HeaderName = CsrfHeader;
            a.Cookie.Name = ".ScenarioKit.Antiforgery";
            a.Cookie.Path = "/agent";
            a.Cookie.SameSite = SameSiteMode.Strict;
            a.Cookie.HttpOnly = true;
        });
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // A person at the form sees the sign-in page again with the reason, still answered 429.
            limiter.OnRejected = (rejected, _) =>
            {
                var http = rejected.HttpContext;
                return new ValueTask(AgentPageEndpoints.LoginPage(http, "rate_limited", http.Request.Query["returnUrl"].ToString(), StatusCodes.Status429TooManyRequests).ExecuteAsync(http));
            };
            limiter.AddPolicy(LoginRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.Hub.LoginAttemptsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
    }

    static Task Deny(RedirectContext<CookieAuthenticationOptions> ctx, int status, string code, string message)
    {
        if (ctx.Request.Path.StartsWithSegments("/agent/api") || ctx.Request.Path.StartsWithSegments("/agent/hub") || !HttpMethods.IsGet(ctx.Request.Method))
        {
            ctx.Response.StatusCode = status;
            return ctx.Response.WriteAsJsonAsync(new { error = code, message }, AgentJson.Options);
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    public static void Map(WebApplication app)
    {
        app.MapPost("/agent/login", LoginAsync).RequireRateLimiting(LoginRateLimit).DisableAntiforgery();
        app.MapPost("/agent/logout", LogoutAsync).DisableAntiforgery();
    }

    static async Task LoginAsync(HttpContext context, IAntiforgery antiforgery, AgentDirectory directory)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            // An expired or missing form token: back to a fresh form that says so (no state was changed).
            context.Response.Redirect("/agent/login?error=expired");
            return;
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var login = form["login"].ToString();
        // Only a console path: an open redirect would let a phishing link bounce through the sign-in.
        var returnUrl = AgentPageEndpoints.SafeReturnUrl(form["returnUrl"].ToString());
        var (result, account) = await directory.SignInAsync(login, form["password"].ToString(), context.RequestAborted);
        if (result != SignInResult.Success || account is null)
        {
            var code = result switch { SignInResult.LockedOut => "locked", SignInResult.Disabled => "disabled", _ => "invalid" };
            context.Response.Redirect($"/agent/login?error={code}&returnUrl={Uri.EscapeDataString(returnUrl)}");
            return;
        }
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, account.Login),
                new Claim(ClaimTypes.Name, account.DisplayName),
                new Claim(ClaimTypes.Role, account.Role.ToString()),
                new Claim(StampClaim, account.SecurityStamp),
            ], Scheme);
        await context.SignInAsync(Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = false });
        context.Response.Redirect(returnUrl);
    }

    static async Task LogoutAsync(HttpContext context, IAntiforgery antiforgery, IHubStore store, TimeProvider time)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { error = "invalid", message = "Missing anti-forgery token." }, AgentJson.Options);
            return;
        }
        if (Login(context.User) is { } login)
            await store.AppendAuditAsync(new Hub.Audit.AuditRecord(0, time.GetUtcNow(), login, Hub.Audit.AuditActions.Logout, null, null, null), context.RequestAborted);
        await context.SignOutAsync(Scheme);
        context.Response.Redirect("/agent/login?error=signed_out");
    }

}
