using System.Globalization;
using EventLedger.Suv.Messages;

namespace EventLedger.Suv.Validation;

/// <summary>The parties of a message: originator, merchant, institutions and their identifiers.</summary>
public static partial class SuvValidator
{
    private static void Originator(Checks c, Originator o)
    {
        if (c.Required("originator.institution", o.Institution))
        {
            Institution(c, "originator.institution", o.Institution!);
        }

        if (c.Required("originator.terminalId", o.TerminalId))
        {
            c.Length("originator.terminalId", o.TerminalId, 8, 8);
        }

        c.Length("originator.operatorId", o.OperatorId, 0, 30);
        if (c.Required("originator.merchant", o.Merchant))
        {
            Merchant(c, "originator.merchant", o.Merchant!);
        }
    }

    private static void Merchant(Checks c, string at, Merchant m)
    {
        if (c.Required($"{at}.merchantType", m.MerchantType))
        {
            c.Matches($"{at}.merchantType", m.MerchantType, Patterns.MerchantType());
        }

        if (c.Required($"{at}.merchantId", m.MerchantId))
        {
            c.Length($"{at}.merchantId", m.MerchantId, 15, 15);
        }

        if (c.Required($"{at}.merchantName", m.MerchantName))
        {
            var n = m.MerchantName!;
            var name = $"{at}.merchantName";
            if (c.Required($"{name}.name", n.Name))
            {
                c.Length($"{name}.name", n.Name, 0, 23);
            }

            if (c.Required($"{name}.city", n.City))
            {
                c.Length($"{name}.city", n.City, 0, 13);
            }

            if (c.Required($"{name}.region", n.Region))
            {
                c.Length($"{name}.region", n.Region, 0, 2);
            }

            if (c.Required($"{name}.country", n.Country))
            {
                c.Length($"{name}.country", n.Country, 0, 2);
            }
        }
    }

    private static void OptionalInstitution(Checks c, string at, Institution? institution)
    {
        if (institution is not null)
        {
            Institution(c, at, institution);
        }
    }

    private static void Institution(Checks c, string at, Institution institution)
    {
        if (c.Required($"{at}.id", institution.Id))
        {
            c.Length($"{at}.id", institution.Id, 1, MaxFreeTextLength);
        }

        if (c.Required($"{at}.name", institution.Name))
        {
            c.Length($"{at}.name", institution.Name, 0, 40);
        }
    }

    private static void ThirdPartyIdentifiers(Checks c, List<ThirdPartyIdentifier> identifiers)
    {
        c.AtMostItems("thirdPartyIdentifiers", identifiers, MaxListItems);
        for (var i = 0; i < identifiers.Count && i < MaxListItems; i++)
        {
            var at = $"thirdPartyIdentifiers[{i}]";
            if (!c.Required(at, identifiers[i]))
            {
                continue;
            }

            if (c.Required($"{at}.institutionId", identifiers[i].InstitutionId))
            {
                c.Length($"{at}.institutionId", identifiers[i].InstitutionId, 1, MaxFreeTextLength);
            }

            if (c.Required($"{at}.transactionIdentifier", identifiers[i].TransactionIdentifier))
            {
                c.Length($"{at}.transactionIdentifier", identifiers[i].TransactionIdentifier, 1, MaxFreeTextLength);
            }
        }
    }
}
