CREATE TABLE "password_resets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email_key" text NOT NULL,
	"user_id" uuid,
	"token_hash" text,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"mail_status" text DEFAULT 'none' NOT NULL,
	"mail_error" text,
	"mail_provider_id" text
);
--> statement-breakpoint
ALTER TABLE "password_resets" ADD CONSTRAINT "password_resets_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "password_resets_token_hash_key" ON "password_resets" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "password_resets_email_key_idx" ON "password_resets" USING btree ("email_key","created_at");--> statement-breakpoint
CREATE INDEX "password_resets_queued_idx" ON "password_resets" USING btree ("created_at") WHERE mail_status = 'queued';--> statement-breakpoint
-- No company_id and no grant to kladde_app: only the system door (asSystem: password-reset) touches it.
REVOKE ALL ON password_resets FROM kladde_app;
