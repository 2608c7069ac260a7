-- The welcome mail sent when an enrollment finishes, as the admin writes it (issue 16), under Defguard
-- 1.6's names: its subject (the instance's name is put before it, as for every mail), its Markdown body
-- with {first_name}, {last_name} and {username} filled in, or instead the enrollment page's welcome
-- message. The defaults say what the built-in mail said, so an upgrade sends the same mail; Defguard's
-- own default for the flag is true.
ALTER TABLE settings
  ADD COLUMN enrollment_welcome_email_subject text NOT NULL DEFAULT 'Your account is active',
  ADD COLUMN enrollment_welcome_email text NOT NULL
    DEFAULT E'Hello {first_name},\n\nYour account **{username}** is now active. You can sign in with your username and the password you chose.',
  ADD COLUMN enrollment_use_welcome_message_as_email boolean NOT NULL DEFAULT false;
