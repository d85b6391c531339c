// The site's theme: VitePress's default theme, a layout with the backend picker, and the
// <TgExample> component that the markdown plugin (../examples-plugin.ts) wraps every example in.
import DefaultTheme from 'vitepress/theme';
import type { Theme } from 'vitepress';
import Layout from './Layout.vue';
import TgExample from './TgExample.vue';
import './style.css';

export default {
  extends: DefaultTheme,
  Layout,
  enhanceApp({ app }) {
    app.component('TgExample', TgExample);
  },
} satisfies Theme;
