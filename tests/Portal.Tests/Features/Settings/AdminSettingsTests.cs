using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Settings;

namespace Portal.Tests.Features.Settings;

[Collection(SettingsCollection.Name)]
public sealed class AdminSettingsTests(PortalFixture portal)
{
    [Fact]
    public async Task A_changed_setting_is_saved_and_logged_with_its_old_and_new_value()
    {
        using var admin = await portal.CreateAdminBrowserAsync();
        var page = await admin.GetAsync("/admin/settings");
        var before = int.Parse(page.Document.QuerySelector("#Input_InvitationValidityDays")!.GetAttribute("value")!);
        var after = before == 90 ? 89 : before + 1;
        var adminId = await portal.WithDbAsync(db => db.Admins.OrderByDescending(a => a.Id).Select(a => a.Id).FirstAsync());

        try
        {
            var response = await admin.SubmitAsync(page, new() { ["Input.InvitationValidityDays"] = after.ToString(), ["Input.OnlyInvitedEmailMayAccept"] = "true" });

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var saved = await admin.FollowAsync(response);
            Assert.Equal(after.ToString(), saved.Document.QuerySelector("#Input_InvitationValidityDays")!.GetAttribute("value"));
            Assert.True(((AngleSharp.Html.Dom.IHtmlInputElement)saved.Document.QuerySelector("#Input_OnlyInvitedEmailMayAccept")!).IsChecked);
            var log = await portal.WithDbAsync(db => db.ActivityLog.Where(e => e.AdminId == adminId).Select(e => e.Description).ToListAsync());
            Assert.Contains($"Setting Invitation Validity (days) changed from {before} to {after}", log);
            Assert.Contains("Setting Only the Invited Email Address May Accept Invitations changed from Off to On", log);
            Assert.DoesNotContain(log, d => d.Contains("Email Verification"));
            var stored = await portal.WithDbAsync(db => new SystemSettings(db).GetAsync());
            Assert.Equal(after, stored.InvitationValidityDays);
            Assert.True(stored.OnlyInvitedEmailMayAccept);
        }
        finally
        {
            await admin.SubmitAsync("/admin/settings", new() { ["Input.InvitationValidityDays"] = before.ToString(), ["Input.OnlyInvitedEmailMayAccept"] = null! });
        }

        Assert.False((await portal.WithDbAsync(db => new SystemSettings(db).GetAsync())).OnlyInvitedEmailMayAccept);
    }

    [Fact]
    public async Task An_invitation_validity_outside_1_to_90_days_is_refused()
    {
        using var admin = await portal.CreateAdminBrowserAsync();
        var before = (await portal.WithDbAsync(db => new SystemSettings(db).GetAsync())).InvitationValidityDays;

        var page = await Page.ReadAsync(await admin.SubmitAsync("/admin/settings", new() { ["Input.InvitationValidityDays"] = "91" }));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Invitation validity must be between 1 and 90 days.", page.ErrorFor("Input.InvitationValidityDays"));
        Assert.Equal(before, (await portal.WithDbAsync(db => new SystemSettings(db).GetAsync())).InvitationValidityDays);
    }

    [Fact]
    public async Task Payment_reminders_default_to_3_days_before_and_1_after_and_can_be_turned_off_with_the_change_logged()
    {
        using var admin = await portal.CreateAdminBrowserAsync();
        var page = await admin.GetAsync("/admin/settings");
        Assert.Equal("3", page.Document.QuerySelector("#Input_PaymentReminderDaysBefore")!.GetAttribute("value"));
        Assert.Equal("1", page.Document.QuerySelector("#Input_OverdueNoticeDaysAfter")!.GetAttribute("value"));
        Assert.NotNull(page.Document.QuerySelector("label[for=Input_PaymentReminderDaysBefore]"));
        Assert.NotNull(page.Document.QuerySelector("label[for=Input_OverdueNoticeDaysAfter]"));
        var adminId = await portal.WithDbAsync(db => db.Admins.OrderByDescending(a => a.Id).Select(a => a.Id).FirstAsync());

        try
        {
            var response = await admin.SubmitAsync(page, new() { ["Input.PaymentReminderDaysBefore"] = "", ["Input.OverdueNoticeDaysAfter"] = "7" });

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var saved = await admin.FollowAsync(response);
            Assert.Equal("", saved.Document.QuerySelector("#Input_PaymentReminderDaysBefore")!.GetAttribute("value") ?? "");
            var stored = await portal.WithDbAsync(db => new SystemSettings(db).GetAsync());
            Assert.Equal((null, 7), (stored.PaymentReminderDaysBefore, stored.OverdueNoticeDaysAfter));
            var log = await portal.WithDbAsync(db => db.ActivityLog.Where(e => e.AdminId == adminId).Select(e => e.Description).ToListAsync());
            Assert.Contains("Setting Send a Payment Reminder (days before the due date) changed from 3 to Off", log);
            Assert.Contains("Setting Send an Overdue Notice (days after the due date) changed from 1 to 7", log);
        }
        finally
        {
            await admin.SubmitAsync("/admin/settings", new() { ["Input.PaymentReminderDaysBefore"] = "3", ["Input.OverdueNoticeDaysAfter"] = "1" });
        }
    }

    [Fact]
    public async Task A_reminder_day_count_out_of_range_is_refused_with_its_message_and_nothing_changes()
    {
        using var admin = await portal.CreateAdminBrowserAsync();
        var before = await portal.WithDbAsync(db => new SystemSettings(db).GetAsync());

        var page = await Page.ReadAsync(await admin.SubmitAsync("/admin/settings", new() { ["Input.PaymentReminderDaysBefore"] = "14", ["Input.OverdueNoticeDaysAfter"] = "0" }));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Send the payment reminder between 1 and 13 days before the due date, or leave it empty to send none.", page.ErrorFor("Input.PaymentReminderDaysBefore"));
        Assert.Equal("Send the overdue notice between 1 and 90 days after the due date, or leave it empty to send none.", page.ErrorFor("Input.OverdueNoticeDaysAfter"));
        var after = await portal.WithDbAsync(db => new SystemSettings(db).GetAsync());
        Assert.Equal((before.PaymentReminderDaysBefore, before.OverdueNoticeDaysAfter), (after.PaymentReminderDaysBefore, after.OverdueNoticeDaysAfter));
    }
}
