import type { PasswordMessages } from '../id/password'

const messages: PasswordMessages = {
  forgot: {
    title: 'Forgotten password',
    intro: 'Enter the e-mail of your account. We will send a link to set a new password.',
    email: 'E-mail',
    submit: 'Send the link',
    submitting: 'Sending…',
    sent: 'If that e-mail has an account, a link to set a new password is on its way. The link works for 30 minutes, once.',
    back: 'Back to sign in',
  },
  setPassword: {
    title: 'Set your password',
    intro: 'Choose a password for your KIPP account (at least 8 characters).',
    password: 'New password',
    confirm: 'Repeat the password',
    show: 'Show the password',
    submit: 'Save the password',
    submitting: 'Saving…',
    mismatch: 'The two passwords differ.',
    tooShort: 'The password needs at least 8 characters.',
    noToken: 'This link is incomplete. Open the link from your e-mail again, or ask for a new one.',
    askAgain: 'Ask for a new link',
  },
}

export default messages
