import type { Child, FC } from 'hono/jsx';
import { Layout, Notice, type SignedIn } from './layout';

export interface MessagePageProps {
  title: string;
  tone: 'info' | 'success' | 'warning' | 'error';
  message: string;
  /** What the person could try next, if anything. */
  hint?: string | undefined;
  back: { href: string; label: string };
  signedIn?: SignedIn | undefined;
  children?: Child;
}

/** A page that says what happened and offers one way back: outcomes, refusals and errors. */
export const MessagePage: FC<MessagePageProps> = ({ title, tone, message, hint, back, signedIn, children }) => (
  <Layout title={title} signedIn={signedIn}>
    <section class="card">
      <h1>{title}</h1>
      <Notice tone={tone}>{message}</Notice>
      {hint ? <p class="help">{hint}</p> : null}
      {children}
      <p>
        <a href={back.href}>{back.label}</a>
      </p>
    </section>
  </Layout>
);
