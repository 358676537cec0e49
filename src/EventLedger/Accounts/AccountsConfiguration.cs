namespace EventLedger.Accounts;

/// <summary>Accounts register themselves: the sign-in throttle every Basic-auth account shares.</summary>
public static class AccountsConfiguration
{
    public static IServiceCollection AddAccounts(this IServiceCollection services) => services.AddSingleton<SignInThrottle>();
}
